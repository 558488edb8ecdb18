import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// Issue 7, item 9: a problem sits at the step and field that can fix it, and no step traps the user.
final class ProblemPlacementTests: XCTestCase {
    /// `invoice_lines` with `invoice_id uuid` referencing `users.email` (a string): a foreign key of the wrong type.
    func mismatchedForeignKey() throws -> Driver {
        let history = try Fixtures.exampleHistory()
        var d = Driver(graph: history.graph, schema: history.schema)
        d.type("add invoice lines")
        d.press(.enter, .enter, .enter)
        d.type("invoice_lines")
        d.press(.enter, .enter, .enter)
        d.addColumn("invoice_id", typeLetter: "u")
        d.press(.tab, .tab, .enter)  // + Add column, Continue → enums
        d.press(.enter)              // → foreign keys
        XCTAssertEqual(d.model.state.step, .foreignKeys, d.text)
        d.press(.enter)              // open invoice_id's reference
        d.press(.control("u"))
        d.type("users")
        d.press(.enter, .control("u"))
        d.type("email")
        d.press(.escape)             // back to the list
        return d
    }

    func testATypeMismatchIsReportedOnTheForeignKeyWithAFixThatFitsThere() throws {
        var d = try mismatchedForeignKey()
        let issue = try XCTUnwrap(d.model.issues.first { $0.problem.contains("cannot match") }, "\(d.model.issues)")
        XCTAssertEqual(issue.field, "create_table.columns[1].foreign_key.column")
        XCTAssertTrue(issue.fix.contains("users.id"), issue.fix)
        // The FK step marks the row; the Columns step has nothing to fix.
        let row = try XCTUnwrap(d.text.split(separator: "\n").first { $0.contains("invoice_id") && $0.contains("→ users.email") })
        XCTAssertTrue(row.contains("✗"), d.text)
        XCTAssertEqual(d.model.issues(on: .columns), [])
        // The review names the foreign key and jumps into its editor.
        d.press(.function(10))
        XCTAssertTrue(d.text.contains("invoice_id foreign key"), d.text)
        let i = try XCTUnwrap(d.model.fields.firstIndex { if case .issue = $0.id { return true } else { return false } })
        d.model.testFocus(d.model.fields[i].id!)
        d.press(.enter)
        XCTAssertEqual(d.model.state.step, .foreignKeys)
        XCTAssertEqual(d.model.state.editingForeignKey, 0)
        XCTAssertEqual(d.model.state.focus, .fkColumn)
    }

    func testEveryStepIsReachableByItsNumber() throws {
        var d = try mismatchedForeignKey()
        d.press(.character("4"))  // a row has focus: the digit jumps
        XCTAssertEqual(d.model.state.step, .columns)
        XCTAssertEqual(d.model.state.focus, .columnLine, "the column line has the focus: digits are text there")
        d.press(.alt("7"))
        XCTAssertEqual(d.model.state.step, .indexes)
        d.press(.character("1"))
        XCTAssertEqual(d.model.state.step, .description)
        XCTAssertEqual(d.model.state.focus, .description)
        // In a text field digits are text; Alt and the number jumps from anywhere.
        d.type("2")
        XCTAssertEqual(d.model.state.description, "add invoice lines2")
        d.press(.backspace, .alt("6"))
        XCTAssertEqual(d.model.state.step, .foreignKeys)
        // From inside an editor too; the editor closes.
        d.press(.enter)
        XCTAssertEqual(d.model.state.editingForeignKey, 0)
        d.press(.alt("4"))
        XCTAssertEqual(d.model.state.step, .columns)
        XCTAssertNil(d.model.state.editingForeignKey)
        // The key table offers it, so the footer and the help show it (off the column line, a text field).
        d.press(.tab)
        XCTAssertTrue(d.screen.line(23).contains("1-8 step"), d.screen.line(23))
    }

    func testNoStepRefusesToLetTheUserMoveOn() throws {
        var d = try mismatchedForeignKey()
        // Continue on Columns and on the FK step itself: the first press points at the problem, the second moves on.
        d.press(.character("4"))
        for _ in 0..<60 where d.model.state.focus != .continueButton { d.press(.tab) }
        d.press(.enter)
        XCTAssertEqual(d.model.state.step, .enums, "nothing on Columns to fix")
        d.press(.enter)
        XCTAssertEqual(d.model.state.step, .foreignKeys)
        for _ in 0..<60 where d.model.state.focus != .continueButton { d.press(.tab) }
        d.press(.enter)
        XCTAssertEqual(d.model.state.step, .foreignKeys)
        XCTAssertTrue(d.model.state.flash?.contains("Continue again") ?? false, d.model.state.flash ?? "")
        for _ in 0..<60 where d.model.state.focus != .continueButton { d.press(.tab) }
        d.press(.enter)
        XCTAssertEqual(d.model.state.step, .indexes)
        // Back always works.
        d.press(.escape)
        XCTAssertEqual(d.model.state.step, .foreignKeys)
    }
}
