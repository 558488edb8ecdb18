import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// The first frame is drawn before the history is read; keys typed meanwhile are kept, and
/// nothing is written until the history has arrived.
final class BackgroundHistoryTests: XCTestCase {
    private func examplePath() -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../examples/vejapro/backend/app/migrations/versions").standardizedFileURL.path
    }

    func testLocateReadsNoFileAndTheModelSaysItIsReading() throws {
        let context = try WizardContext.locate(versionsDirectory: examplePath(), date: MigrationDate("2026-11-25")!, cwd: URL(fileURLWithPath: "/"))
        XCTAssertTrue(context.historyPending)
        XCTAssertEqual(context.graph.files.count, 0)
        var model = WizardModel(context: context)
        _ = model.update(.resize(Size(width: 100, height: 30)))
        XCTAssertTrue(model.isReadingHistory)
        XCTAssertTrue(model.render().text.contains("reading the history"), model.render().text)
    }

    func testKeysTypedWhileReadingAreKeptAndTheHistoryArrives() throws {
        let path = examplePath()
        let context = try WizardContext.locate(versionsDirectory: path, date: MigrationDate("2026-11-25")!, cwd: URL(fileURLWithPath: "/"))
        var model = WizardModel(context: context)
        _ = model.update(.resize(Size(width: 100, height: 30)))
        for ch in "add invoices table" { _ = model.update(.key(.character(ch))) }
        let history = try VersionsDirectory(url: URL(fileURLWithPath: path)).readHistory()
        _ = model.update(.effectResult(.historyRead(history)))
        XCTAssertFalse(model.isReadingHistory)
        XCTAssertEqual(model.state.description, "add invoices table")
        XCTAssertEqual(model.preview.revision, "20261125_000018")
        XCTAssertEqual(model.preview.downRevisions, ["20260211_000017"])
        XCTAssertNotNil(model.schema?.tables["projects"])
    }

    func testNothingIsWrittenWhileReading() throws {
        let path = examplePath()
        let context = try WizardContext.locate(versionsDirectory: path, date: MigrationDate("2026-11-25")!, cwd: URL(fileURLWithPath: "/"))
        var d = Driver()
        d.model = WizardModel(context: context)
        _ = d.model.update(.resize(Size(width: 80, height: 24)))
        d.answerInvoices()
        XCTAssertEqual(d.model.state.step, .review, d.text)
        XCTAssertEqual(d.model.state.focus, .write)
        d.press(.enter)
        XCTAssertEqual(d.effects.last, Effect.none, "no write while the history is being read")
        XCTAssertTrue(d.text.contains("Still reading the history"), d.text)
        // Once it arrives, the same key writes.
        _ = d.model.update(.effectResult(.historyRead(try VersionsDirectory(url: URL(fileURLWithPath: path)).readHistory())))
        d.press(.enter)
        XCTAssertEqual(d.effects.last, .write)
    }

    func testAMissingDirectoryIsReportedBeforeTheTerminalIsTaken() {
        XCTAssertThrowsError(try WizardContext.locate(versionsDirectory: "/nonexistent/versions", date: MigrationDate("2026-11-25")!, cwd: URL(fileURLWithPath: "/")))
    }
}
