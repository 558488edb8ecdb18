import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// The wizard on the example project's real history: which tables exist decides what is an error.
final class WizardHistoryTests: XCTestCase {
    func driver() throws -> Driver {
        let history = try Fixtures.exampleHistory()
        return Driver(graph: history.graph, schema: history.schema)
    }

    /// Description, a table name, one uuid column `project_id`, then the FK step.
    func reachForeignKeys(_ d: inout Driver, table: String = "invoices") {
        d.type("add \(table)")
        d.press(.enter, .enter, .enter)
        d.type(table)
        d.press(.enter, .enter, .enter, .enter)
        d.type("project_id")
        d.press(.enter)
        d.type("u")
        d.press(.escape, .tab, .tab, .enter)  // back to the list, Continue
        d.press(.enter)                      // enums → foreign keys
        XCTAssertEqual(d.model.state.step, .foreignKeys, d.text)
    }

    func testTheReferencedTableIsGuessedFromTheColumnName() throws {
        var d = try driver()
        reachForeignKeys(&d)
        d.press(.enter)
        XCTAssertEqual(d.model.state.table.columns[0].referencesTable, "projects")
        XCTAssertTrue(d.text.contains("Tables: "), d.text)
        XCTAssertEqual(d.model.issues, [])
    }

    func testAnUnknownTableIsAnErrorWithCloseNames() throws {
        var d = try driver()
        reachForeignKeys(&d)
        d.press(.enter, .control("u"))
        d.type("projectz")
        let issue = try XCTUnwrap(d.model.issues.first { $0.field.hasSuffix("foreign_key.table") })
        XCTAssertTrue(issue.fix.contains("projects"), issue.fix)
        d.press(.function(10))
        XCTAssertFalse(d.model.fields.contains { $0.id == .write }, "the write is refused")
    }

    func testCreatingATableThatExistsIsAnError() throws {
        var d = try driver()
        d.type("add projects again")
        d.press(.enter, .enter, .enter)
        d.type("projects")
        XCTAssertTrue(d.model.issues.contains { $0.field == "create_table.name" && $0.problem.contains("already exists") }, "\(d.model.issues)")
        XCTAssertTrue(d.text.contains("already exists"), d.text)
    }
}
