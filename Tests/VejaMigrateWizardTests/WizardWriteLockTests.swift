import Foundation
import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// The wizard's Write on a real directory, under the versions directory's lock (docs/concurrency.md).
final class WizardWriteLockTests: XCTestCase {
    private func project() throws -> (URL, WizardContext) {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../examples/vejapro/backend/app/migrations/versions").standardizedFileURL
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vm-wizard-lock-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: example, to: dir)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        var context = try WizardContext.load(DiscoveryRequest(versionsDir: dir.path, cwd: dir), date: MigrationDate("2026-11-25")!)
        context.lockTimeout = 0.2
        return (dir, context)
    }

    private func names(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    func testWriteWaitsForAHeldLockThenSaysSoAndWritesNothing() throws {
        let (dir, context) = try project()
        var d = Driver(graph: context.graph, schema: context.history.schema)
        d.answerInvoices()
        let before = try names(dir)
        let held = try VersionsLock.acquire(in: context.locations.primary, timeout: 0)
        let result = WizardRuntime.perform(.write, model: d.model, context: context)
        guard case .failed(let message) = result else { return XCTFail("wrote under a held lock: \(result)") }
        XCTAssertTrue(message.contains("another command is writing"), message)
        held.release()
        XCTAssertEqual(try names(dir), before)
    }

    func testAFileWrittenMeanwhileIsReportedAndTheNextWriteRevisesIt() throws {
        let (dir, context) = try project()
        var d = Driver(graph: context.graph, schema: context.history.schema)
        d.answerInvoices()
        // Another writer (a terminal running `vejamigrate new`) adds 000018 after the wizard read the history.
        let other = try MigrationPlanner.plan(MigrationRequest(description: "other change", date: MigrationDate("2026-11-25")!), graph: context.graph)
        try MigrationWriter.write(other.python, to: dir, fileName: other.fileName)
        let first = WizardRuntime.perform(.write, model: d.model, context: context)
        guard case .historyChanged = first else { return XCTFail("expected historyChanged, got \(first)") }
        XCTAssertFalse(try names(dir).contains("20261125_000018_add_invoices_table.py"))
        _ = d.model.update(.effectResult(first))
        let second = WizardRuntime.perform(.write, model: d.model, context: context)
        guard case .written(let path, _, let text) = second else { return XCTFail("expected written, got \(second)") }
        XCTAssertTrue(path.hasSuffix("20261125_000019_add_invoices_table.py"), path)
        XCTAssertTrue(text.contains("down_revision = \"20261125_000018\""), text)
        XCTAssertFalse(try names(dir).contains(VersionsLock.fileName))
    }
}
