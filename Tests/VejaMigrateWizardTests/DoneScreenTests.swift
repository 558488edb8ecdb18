import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// Issue 7, item 12: after the write, the file for review, the reminders, and what to do next.
final class DoneScreenTests: XCTestCase {
    func written() throws -> (Driver, String) {
        var d = Driver()
        d.answerInvoices()
        d.press(.enter)
        let planned = try MigrationPlanner.plan(d.model.request, graph: Fixtures.linearGraph())
        _ = d.model.update(.effectResult(.written(
            path: "v/" + planned.fileName, repositoryPath: "backend/app/migrations/versions/" + planned.fileName, text: planned.python)))
        return (d, planned.python)
    }

    func testTheWrittenFileIsShownAndScrolls() throws {
        var (d, python) = try written()
        XCTAssertEqual(d.model.state.step, .done)
        XCTAssertTrue(d.text.contains("✓ Migration written"), d.text)
        XCTAssertTrue(d.text.contains("def upgrade") || d.text.contains("\"\"\"add invoices table"), d.text)
        for _ in 0..<30 { d.press(.pageDown) }
        XCTAssertTrue(d.text.contains("op.drop_table(\"invoices\")"), d.text)
        XCTAssertEqual(d.model.previewLines.map(\.text).joined(separator: "\n") + "\n", python)
        XCTAssertTrue(d.text.contains("/test"), d.text)
    }

    func testSaveTheAnswersAsASpec() throws {
        var (d, _) = try written()
        XCTAssertTrue(d.model.fields.contains { $0.id == .specPath })
        d.model.testFocus(.specPath)
        XCTAssertEqual(d.model.focusedText, "add_invoices_table.json")
        d.press(.enter)
        guard case .saveSpec(let path, let text)? = d.effects.last else { return XCTFail("\(d.effects.last as Any)") }
        XCTAssertEqual(path, "add_invoices_table.json")
        XCTAssertEqual(try SpecReader.read(json: Data(text.utf8)), d.model.spec)
        _ = d.model.update(.effectResult(.specSaved(path: "add_invoices_table.json", directory: "/work/app")))
        XCTAssertTrue(d.model.fields.contains { field in
            if case .note(let text) = field.kind { return text.contains("Saved add_invoices_table.json (in /work/app)") }
            return false
        }, d.text)
        XCTAssertTrue(d.model.exitMessage?.contains("Spec saved: /work/app/add_invoices_table.json") ?? false, d.model.exitMessage ?? "")
        _ = d.model.update(.effectResult(.failed("add_invoices_table.json exists already; nothing was written")))
        XCTAssertTrue(d.text.contains("exists already"), d.text)
    }

    func testWriteAnotherStartsOverOnTheNewHistory() throws {
        var (d, _) = try written()
        d.model.testFocus(.writeAnother)
        d.press(.enter)
        XCTAssertEqual(d.effects.last, .startOver)
        XCTAssertEqual(d.model.state.step, .description)
        XCTAssertEqual(d.model.state.description, "")
        XCTAssertNil(d.model.writtenPath)
    }

    func testQuitIsFocusedAndQuits() throws {
        var (d, _) = try written()
        XCTAssertEqual(d.model.state.focus, .quitButton)
        d.press(.enter)
        XCTAssertEqual(d.effects.last, .quit(0))
    }
}

extension DoneScreenTests {
    func testDoneScreen80x24() throws {
        let (d, _) = try written()
        Golden.check(d.screen, "done-80x24")
    }
}

final class SuspendTests: XCTestCase {
    /// Ctrl-Z is the runtime's job (stop the process); the model asks for it and keeps every answer.
    func testCtrlZAsksTheRuntimeToSuspend() {
        var d = Driver()
        d.type("abc")
        d.press(.control("z"))
        XCTAssertEqual(d.effects.last, .suspend)
        XCTAssertEqual(d.model.state.description, "abc")
    }
}
