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
        // Review offers no Write while reading, and says why.
        XCTAssertFalse(d.model.fields.contains { $0.id == .write }, d.text)
        XCTAssertTrue(d.text.contains("Reading the history"), d.text)
        XCTAssertFalse(d.effects.contains(.write))
        // Once it arrives, Write is there and writes.
        _ = d.model.update(.effectResult(.historyRead(try VersionsDirectory(url: URL(fileURLWithPath: path)).readHistory())))
        XCTAssertTrue(d.model.fields.contains { $0.id == .write }, d.text)
        d.model.testFocus(.write)
        d.press(.enter)
        XCTAssertEqual(d.effects.last, .write)
    }

    func testAMissingDirectoryIsReportedBeforeTheTerminalIsTaken() {
        XCTAssertThrowsError(try WizardContext.locate(versionsDirectory: "/nonexistent/versions", date: MigrationDate("2026-11-25")!, cwd: URL(fileURLWithPath: "/")))
    }
}
