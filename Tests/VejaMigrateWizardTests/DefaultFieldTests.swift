import XCTest

@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// The default field reads what the spec's `default` reads, so the wizard and the CLI refuse the same things.
final class DefaultFieldTests: XCTestCase {
    private func table(_ column: ColumnDraft) -> MigrationSpec {
        var draft = TableDraft()
        draft.name = "schedules"
        draft.columns = [column]
        let (t, issues) = draft.build(path: "create_table")
        XCTAssertEqual(issues, [])
        return MigrationSpec(description: "add schedules", operations: [.createTable(t)])
    }

    func testSQLPrefixMakesAnExpression() {
        var c = ColumnDraft(name: "token", type: .uuid)
        c.defaultText = "sql: gen_random_uuid()"
        let spec = table(c)
        guard case .createTable(let t) = spec.operations[0] else { return XCTFail() }
        XCTAssertEqual(t.columns[1].defaultValue, .sql("gen_random_uuid()"))
        XCTAssertEqual(SpecValidator.issues(in: spec), [])
    }

    func testFunctionCallTypedAsADatetimeDefaultIsRefused() {
        for text in ["now()", "CURRENT_TIMESTAMP"] {
            var c = ColumnDraft(name: "remind_at", type: .datetime)
            c.defaultText = text
            let issues = SpecValidator.issues(in: table(c))
            XCTAssertEqual(issues.map(\.field), ["create_table.columns[1].default"], text)
            XCTAssertTrue(issues.first?.fix.contains("now") ?? false)
        }
        var c = ColumnDraft(name: "remind_at", type: .datetime)
        c.defaultText = "now"
        XCTAssertEqual(SpecValidator.issues(in: table(c)), [])
    }
}
