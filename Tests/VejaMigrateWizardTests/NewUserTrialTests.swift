import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// What a new user's trial of the wizard found (the one-line column syntax, the column editor's
/// footer, the allowed-values hint, the columns list, the lock comment beside the lock-safe toggle).
final class NewUserTrialTests: XCTestCase {
    /// On the example history, at the columns step of a new table named by the description.
    func columns(_ size: Size = Size(width: 80, height: 24)) throws -> Driver {
        let history = try Fixtures.exampleHistory()
        var d = Driver(graph: history.graph, schema: history.schema, size: size)
        d.type("add invoices table")
        d.press(.alt("4"))
        XCTAssertEqual(d.model.state.step, .columns)
        XCTAssertEqual(d.model.state.focus, .columnLine)
        return d
    }

    func hint(_ d: Driver, _ id: FieldID) -> String {
        d.model.fields.first { $0.id == id }?.hint ?? ""
    }

    // MARK: 1. A default after an option, and an enum in the line's hint

    func testTheTrialsEnumLineWithItsDefaultLastIsAdded() throws {
        var d = try columns()
        d.type("status:enum(DRAFT,SENT,PAID,VOID)=DRAFT")
        XCTAssertTrue(d.model.lineHint.contains("=DRAFT:enum(DRAFT,SENT,PAID,VOID)"), d.model.lineHint)
        d.press(.enter)
        let c = try XCTUnwrap(d.model.state.table.columns.first)
        XCTAssertEqual(c.name, "status")
        XCTAssertEqual(c.defaultText, "DRAFT")
        XCTAssertEqual(c.enumText, "DRAFT, SENT, PAID, VOID")
    }

    func testADefaultWhereNoneGoesSaysWhereItGoes() throws {
        var d = try columns()
        d.type("owner_id:fk=users=x")
        XCTAssertTrue(d.model.lineHint.contains("a default goes right after the name, the type or an option, e.g. status=DRAFT:enum(DRAFT,SENT)"), d.model.lineHint)
    }

    func testTheEmptyLinesHintShowsAnEnum() throws {
        let d = try columns()
        XCTAssertTrue(d.model.lineHint.contains("status=DRAFT:enum(DRAFT,SENT)"), d.model.lineHint)
        // The example the hint gives reads.
        guard case .success = ColumnLine.parse("status=DRAFT:enum(DRAFT,SENT)") else { return XCTFail("the hint's example does not read") }
    }

    // MARK: 2. The column editor's footer offers Alt-a

    func testTheColumnEditorsFooterShowsAltAAt80Columns() throws {
        var d = try columns()
        d.press(.enter)  // the empty line: the editor
        d.type("amount")
        let footer = try XCTUnwrap(d.text.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init))
        XCTAssertTrue(footer.contains("Alt+a next column"), footer)
        XCTAssertTrue(footer.contains("F1 help") && footer.contains("^C quit"), footer)
        XCTAssertLessThanOrEqual(DisplayWidth.of(footer.trimmingCharacters(in: .whitespaces)), 80, footer)
        // On a toggle too (no Tab complete), and wider screens have room for Alt+p/n/u/i.
        d.model.testFocus(.columnUnique)
        XCTAssertTrue(d.text.split(separator: "\n").last!.contains("Alt+a next column"), d.text)
        var wide = try columns(Size(width: 160, height: 40))
        wide.press(.enter)
        wide.type("amount")
        let wideFooter = String(wide.text.split(separator: "\n").last!)
        XCTAssertTrue(wideFooter.contains("Alt+p/n/u/i PK, nullable, unique, index") && wideFooter.contains("Alt+a next column"), wideFooter)
        // Short of room the flags go first: F2 and F10 stay at 120 columns.
        var mid = try columns(Size(width: 120, height: 40))
        mid.press(.enter)
        mid.type("amount")
        let midFooter = String(mid.text.split(separator: "\n").last!)
        XCTAssertTrue(midFooter.contains("Alt+a next column") && midFooter.contains("F10 review") && !midFooter.contains("Alt+p"), midFooter)
        // Outside the editor, neither.
        var list = try columns()
        list.press(.tab)
        XCTAssertFalse(String(list.text.split(separator: "\n").last!).contains("Alt+a"), list.text)
    }

    // MARK: 3. The allowed values hint names each table's values

    func testTheAllowedValuesHintGroupsValuesByTable() throws {
        var d = try columns()
        d.press(.enter)
        d.type("status")
        let text = hint(d, .columnEnum)
        let schema = try Fixtures.exampleHistory().schema
        let tables = schema.tableNames.filter { t in schema.tables[t]!.checks.contains { $0.column == "status" && !($0.values ?? []).isEmpty } }
        XCTAssertGreaterThan(tables.count, 1, "the example has status CHECKs on several tables")
        for t in tables {
            let values = schema.tables[t]!.checks.first { $0.column == "status" && $0.values != nil }!.values!
            XCTAssertTrue(text.contains("\(t).status: " + values.joined(separator: ", ")), text)
        }
        XCTAssertFalse(text.contains("the history's status has"), text)
    }

    // MARK: 4. The columns list shows ON DELETE

    func testTheColumnsListRowShowsOnDelete() throws {
        var d = try columns()
        d.type("project_id:uuid!:fk=projects.id:cascade")
        d.press(.enter)
        XCTAssertEqual(d.model.state.table.columns.first?.onDelete, .cascade)
        XCTAssertTrue(ColumnSummary.line(d.model.state.table.columns[0]).hasSuffix("→ projects CASCADE"))
        XCTAssertTrue(d.text.contains("projects CASCADE"), d.text)  // the row, wrapped at 80
        d.type("owner_id:uuid:fk=projects")
        d.press(.enter)
        XCTAssertEqual(ColumnSummary.line(d.model.state.table.columns[1]).hasSuffix("→ projects"), d.model.state.table.columns[1].onDelete == nil)
    }

    // MARK: 6. The lock beside the lock-safe toggle says it is brief

    func testReviewsSQLSaysAnAddedNullableColumnsLockIsBrief() throws {
        let history = try Fixtures.exampleHistory()
        var d = Driver(graph: history.graph, schema: history.schema, size: Size(width: 160, height: 40))
        d.choose(description: "archive projects", operation: "Add columns")
        d.type("projects")
        d.press(.enter, .enter)
        d.type("archived_at")
        d.press(.escape, .function(10))
        XCTAssertEqual(d.model.state.step, .review)
        d.press(.function(2))
        XCTAssertTrue(d.text.contains("Lock-safe on PostgreSQL"), d.text)
        XCTAssertTrue(d.text.contains("-- lock: ACCESS EXCLUSIVE on projects (brief: catalog only, no table scan)"), d.text)
    }
}
