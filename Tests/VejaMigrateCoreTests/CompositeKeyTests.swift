import XCTest
@testable import VejaMigrateCore

final class CompositeKeyTests: XCTestCase {
    func testOnlyASoleUUIDKeyGetsARandomDefault() throws {
        let join = CreateTable(name: "project_labels", columns: [
            Column(name: "project_id", type: .uuid, primaryKey: true, foreignKey: ForeignKey(table: "projects")),
            Column(name: "label_id", type: .uuid, primaryKey: true, foreignKey: ForeignKey(table: "labels")),
        ])
        XCTAssertEqual(TableDefinition(join).columns.map(\.serverDefault), [nil, nil])
        let single = CreateTable(name: "labels", columns: [Column(name: "id", type: .uuid, primaryKey: true)])
        XCTAssertEqual(TableDefinition(single).columns.map(\.serverDefault), ["gen_random_uuid()"])
    }

    func testOneListedOperationKeepsListPaths() throws {
        let json = #"{"description": "x", "operations": [{"create_table": {"name": "Bad", "columns": [{"name": "id", "type": "uuid"}]}}]}"#
        let spec = try SpecReader.read(json: Data(json.utf8))
        XCTAssertEqual(SpecValidator.issues(in: spec).map(\.field), ["operations[0].create_table.name"])
        XCTAssertEqual(try SpecReader.read(json: Data(spec.jsonText.utf8)), spec)
    }
}
