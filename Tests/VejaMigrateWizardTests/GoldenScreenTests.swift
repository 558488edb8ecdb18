import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// Whole screens compared as text plus a style layer, at 80x24 and 120x40.
final class GoldenScreenTests: XCTestCase {
    func testFirstScreen80x24() {
        Golden.check(Driver().screen, "first-80x24")
    }

    func testColumnEditor120x40() {
        var d = Driver(size: Size(width: 120, height: 40))
        d.type("add invoices table")
        d.press(.enter, .enter, .enter)
        d.type("invoices")
        d.press(.enter, .enter, .enter, .enter)
        d.type("amount")
        d.press(.enter, .character("n"), .enter, .enter)  // numeric: Length is n/a, Precision next
        d.type("12")
        Golden.check(d.screen, "column-editor-120x40")
    }

    func testReview80x24() {
        var d = Driver()
        d.answerInvoices()
        Golden.check(d.screen, "review-80x24")
    }

    func testReviewWithProblem120x40() {
        var d = Driver(size: Size(width: 120, height: 40))
        d.answerInvoices()
        d.model.testSetEnumDefault(column: 1, "LOST")
        Golden.check(d.screen, "enum-error-120x40")
    }

    func testSQLTab120x40() {
        var d = Driver(size: Size(width: 120, height: 40))
        d.answerInvoices()
        d.press(.function(2))
        Golden.check(d.screen, "sql-120x40")
    }

    func testHelp80x24() {
        var d = Driver()
        d.press(.function(1))
        Golden.check(d.screen, "help-80x24")
    }

    func testStylesMarkFocusErrorsAndCode() {
        var d = Driver(size: Size(width: 120, height: 40))
        d.answerInvoices()
        let screen = d.screen
        // The focused Write button is drawn in the focus style.
        let y = (0..<40).first { screen.line($0).contains("[ Write migration ]") }!
        let x = Array(screen.line(y)).firstIndex(of: "[")!
        XCTAssertTrue(screen[x, y].style.reverse && screen[x, y].style.foreground == .cyan)
        // Python keywords in the preview are highlighted.
        let defRow = (0..<40).first { screen.line($0).contains("│ def upgrade") }
        if let defRow {
            // The `d` of `def` in the preview (the form on the left may have a d of its own).
            let row = Array(screen.line(defRow))
            let dx = (0..<(row.count - 4)).first { String(row[$0..<($0 + 5)]) == "│ def" }! + 2
            XCTAssertEqual(screen[dx, defRow].style.foreground, .magenta)
        } else {
            XCTFail("no def upgrade line visible:\n\(screen.text)")
        }
    }
}
