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
    /// Issue 11, item 3: `v` on the done screen asks the driver to verify the written migration;
    /// its steps arrive as messages and show as they run.
    func testVVerifiesTheWrittenMigrationAndShowsTheSteps() throws {
        var (d, _) = try written()
        XCTAssertTrue(d.text.contains("v verify"), d.text)  // the footer offers it
        XCTAssertTrue(footer(d.model).contains { $0.0 == "v" && $0.1 == "verify" }, "\(footer(d.model))")
        d.press(.character("v"))
        let name = String(d.model.writtenPath!.split(separator: "/").last!)
        XCTAssertEqual(d.effects.last, .verify(revision: String(name.prefix(15))))
        XCTAssertTrue(d.model.isVerifying)
        // A second v while it runs does nothing, and the footer no longer offers it.
        let count = d.effects.count
        d.press(.character("v"))
        XCTAssertEqual(d.effects.count, count + 1)
        XCTAssertEqual(d.effects.last, Effect.none)
        XCTAssertFalse(footer(d.model).contains { $0.0 == "v" })

        _ = d.model.update(.verifyEvent(.note("database: SQLite (temporary file, removed after)")))
        _ = d.model.update(.verifyEvent(.stepStarted(index: 0, total: 7, title: "upgrade to parent 20260101_000004")))
        XCTAssertTrue(d.model.verifyLines().map(\.0).contains("[1/7] upgrade to parent 20260101_000004 ..."))
        XCTAssertTrue(d.text.contains("Verify:"), d.text)
        _ = d.model.update(.verifyEvent(.stepFinished(index: 0, total: 7, title: "upgrade to parent 20260101_000004", seconds: 0.44, outcome: .ok)))
        _ = d.model.update(.verifyEvent(.stepStarted(index: 1, total: 7, title: "upgrade to X")))
        _ = d.model.update(.verifyEvent(.stepFinished(
            index: 1, total: 7, title: "upgrade to X", seconds: 1, outcome: .failed("Alembic exited with status 1:\n  relation \"nope\" does not exist"))))
        var result = VerifyResult(revision: "X", database: "SQLite")
        result.failure = .alembic(status: 1, errorTail: "relation \"nope\" does not exist")
        result.failedStep = 1
        _ = d.model.update(.verifyEvent(.finished(result)))
        let lines = d.model.verifyLines().map(\.0)
        XCTAssertEqual(Array(lines.prefix(6)), [
            "Verify:", "database: SQLite (temporary file, removed after)", "[1/7] upgrade to parent 20260101_000004 ... ok (0.4 s)",
            "[2/7] upgrade to X ... FAILED (1.0 s)", "  Alembic exited with status 1:", "    relation \"nope\" does not exist",
        ])
        XCTAssertTrue(lines.contains("✗ verify failed (vejamigrate verify shows the same)"), "\(lines)")
        XCTAssertFalse(d.model.isVerifying)
        XCTAssertTrue(footer(d.model).contains { $0.0 == "v" })  // may run again
    }

    func testAVerifyThatCannotStartSaysWhy() throws {
        var (d, _) = try written()
        d.press(.character("v"))
        _ = d.model.update(.verifyEvent(.stopped(.pythonLacks(python: "/usr/bin/python3", modules: ["alembic"]))))
        XCTAssertTrue(d.model.verifyLines().map(\.0).contains { $0.hasPrefix("✗ verify could not start: /usr/bin/python3 has no alembic") })
        XCTAssertFalse(d.model.isVerifying)
    }

    func testVOnlyVerifiesOnTheDoneScreen() {
        var d = Driver()
        d.press(.function(6))  // v's other key: v itself is typed into the description
        XCTAssertFalse(d.effects.contains { if case .verify = $0 { return true } else { return false } })
    }

    private func footer(_ model: WizardModel) -> [(String, String)] {
        KeyMap.footer(focus: model.focusedKind, applies: model.applies)
    }

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
