import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// Issue 7, item 11: at 80x24 nothing a user must read is cut or loses characters.
final class NothingLostTests: XCTestCase {
    /// The form pane's text (left of the divider) and the status rows, without spaces and wrap marks.
    func readable(_ screen: Screen, formWidth: Int = 40) -> String {
        var out = ""
        for y in 2..<(screen.size.height - 1) {
            let line = screen.line(y)
            let part = y >= screen.size.height - 4 ? line : String(line.prefix(formWidth))
            out += part
        }
        return out.filter { !$0.isWhitespace && $0 != "↪" && $0 != "✗" }
    }

    func squeezed(_ text: String) -> String { text.filter { !$0.isWhitespace } }

    func testAWrappedErrorKeepsEveryCharacter() throws {
        var d = Driver()
        d.type("t")
        d.press(.enter, .enter, .enter)
        d.type("things")
        d.press(.alt("7"))  // indexes
        d.press(.enter)
        d.type("a_really_long_column_name_that_does_not_exist_anywhere_at_all")
        let issue = try XCTUnwrap(d.model.issues.first { $0.field.hasPrefix("create_table.indexes") }, "\(d.model.issues)")
        XCTAssertTrue(readable(d.screen).contains(squeezed(issue.problem)), "\(issue.problem)\n\(d.text)")
    }

    func testWrapNeverDropsACharacter() {
        let d = Driver()
        let text = "idx_" + String(repeating: "abcdefghij", count: 9) + " and then some words"
        for width in [7, 13, 38] {
            let lines = d.model.wrap(text, width)
            XCTAssertTrue(lines.allSatisfy { DisplayWidth.of($0) <= width }, "\(lines)")
            XCTAssertEqual(lines.joined().filter { $0 != " " }, text.filter { $0 != " " })
        }
    }

    func testTheHintReadsWholeAndAnEmptyListIsNotShown() throws {
        let history = try Fixtures.exampleHistory()
        var d = Driver(graph: history.graph, schema: history.schema)
        d.type("add invoice lines")
        d.press(.enter, .enter, .enter)
        d.type("invoice_lines")
        d.press(.enter, .enter, .enter)
        d.addColumn("invoice_id", typeLetter: "u")
        d.press(.alt("6"), .enter, .control("u"))
        let hint = try XCTUnwrap(d.model.fields.first { $0.id == .fkTable }?.hint)
        XCTAssertTrue(squeezed(d.text).contains(squeezed(hint)), "\(hint)\n\(d.text)")
        d.type("qqqqqqqq")
        let none = try XCTUnwrap(d.model.fields.first { $0.id == .fkTable }?.hint)
        XCTAssertFalse(none.contains("Tables: ."), none)
        // With a problem at the field, the status line gives its fix (the problem stands under the field), whole.
        let issue = try XCTUnwrap(d.model.issues.first { $0.field.hasSuffix("foreign_key.table") })
        XCTAssertTrue(squeezed(d.text).contains(squeezed("To fix: " + issue.fix + ".")), "\(issue.fix)\n\(d.text)")
    }

    /// Issue 9: what a drop's downgrade puts back, and the flows' hints, read whole at 80x24.
    func testADropsRestoreAndTheFlowHintsReadWhole() throws {
        let history = try Fixtures.exampleHistory()
        var d = Driver(graph: history.graph, schema: history.schema)
        d.type("drop task position")
        d.press(.enter, .enter, .right, .right, .right, .enter)  // Drop columns
        d.type("tasks")
        d.press(.enter)
        d.type("position")
        d.press(.tab)  // on Continue: the notes above it are in view
        let restores = d.model.flowContext.restores
        XCTAssertFalse(restores.isEmpty)
        for line in restores { XCTAssertTrue(readable(d.screen).contains(squeezed(line)), "\(line)\n\(d.text)") }
        d.press(.backTab)
        let hint = try XCTUnwrap(d.model.fields.first { $0.id == .change(.columns) }?.hint)
        XCTAssertTrue(readable(d.screen).contains(squeezed(hint)), "\(hint)\n\(d.text)")
    }

    func testAChoiceShowsItsWholeValue() {
        var d = Driver(graph: Fixtures.twoHeads())
        d.type("empty change")
        d.press(.enter, .enter, .left, .enter)  // Empty is the last operation
        XCTAssertEqual(d.model.state.focus, .parent)
        XCTAssertTrue(d.text.contains("‹ 20260211_000017 ›"), d.text)
    }

    func testTheScrollMarkerDoesNotCoverThePreview() {
        let d = Driver()
        let screen = d.screen
        // The first screen's preview does not fit: the marker sits on the pane's rule, not on a line of the file.
        for y in 6..<(screen.size.height - 2) {
            XCTAssertFalse(screen.line(y).contains("PgDn"), "row \(y): \(screen.line(y))")
        }
        XCTAssertTrue(screen.line(5).contains("↓ PgDn"), screen.line(5))
    }

    func testLongListRowsWrapInsteadOfBeingCut() {
        var d = Driver()
        d.type("t")
        d.press(.enter, .enter, .enter)
        d.type("things")
        d.press(.enter, .enter, .enter)
        d.addColumn("a_rather_long_column_name_for_a_row")
        d.press(.enter)  // edit it: set a long default
        for _ in 0..<60 where d.model.state.focus != .columnDefault { d.press(.tab) }
        d.type("some long default text here")
        d.press(.escape)
        let line = ColumnSummary.line(d.model.state.table.columns[0])
        XCTAssertTrue(readable(d.screen).contains(squeezed(line)), "\(line)\n\(d.text)")
    }

    func testTheHelpScreenShowsEveryBindingWhole() {
        var d = Driver()
        d.press(.function(1))
        // Two columns wrap each entry under itself, so look for every word (a cut one would be missing).
        let words = Set(d.text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).map(String.init))
        for b in KeyMap.bindings {
            for word in b.help.split(separator: " ") {
                XCTAssertTrue(words.contains(String(word)), "\(b.help) is cut:\n\(d.text)")
            }
        }
    }

    /// A new-user trial saw `batch_alter_table("projec` / `ts")`: a row breaks after `(` when its
    /// only space is early, and never inside a name when a better place is in the second half.
    func testPreviewRowsBreakBetweenNames() {
        let line = Array("    with op.batch_alter_table(\"projects\") as batch_op:")
        let rows = WizardModel.wrapPoints(line, first: 38, rest: 36)
        XCTAssertEqual(String(line.prefix(rows[0])), "    with op.batch_alter_table(")
        XCTAssertEqual(rows.reduce(0, +), line.count)
        let column = Array("            sa.Column(\"seen_at\", sa.DateTime(timezone=True), nullable=True)")
        let cut = WizardModel.wrapPoints(column, first: 38, rest: 36)[0]
        XCTAssertTrue([" ", "(", ",", "="].contains(column[cut - 1]), String(column.prefix(cut)))
    }
}
