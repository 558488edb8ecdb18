import Foundation
import XCTest

@testable import VejaMigrateCore

final class MigrationPlannerTests: XCTestCase {
    private let date = MigrationDate("2026-02-12")!
    private func rev(_ n: Int) -> String { TestSupport.rev(n, date: "20260210") }
    private func m(_ n: Int, _ down: [Int]) -> MigrationFile { TestSupport.migration(rev(n), down: down.map(rev)) }

    /// 1 <- 2 <- 3 and 1 <- 4: heads 3 and 4.
    private var twoHeads: RevisionGraph { RevisionGraph(files: [m(1, []), m(2, [1]), m(3, [2]), m(4, [1])]) }
    private var linear: RevisionGraph { RevisionGraph(files: [m(1, []), m(2, [1])]) }

    func testLinearHistory() throws {
        let planned = try MigrationPlanner.plan(MigrationRequest(description: "add invoices table", date: date), graph: linear)
        XCTAssertEqual(planned.fileName, "20260212_000003_add_invoices_table.py")
        XCTAssertEqual(planned.revision, "20260212_000003")
        XCTAssertEqual(planned.downRevisions, [rev(2)])
        XCTAssertTrue(planned.python.contains("down_revision = \"\(rev(2))\"\n"))
        XCTAssertTrue(planned.python.contains("    # TODO: implement upgrade\n    pass\n"))
        XCTAssertTrue(planned.sql.contains("-- (no statements)"))
    }

    func testFirstMigration() throws {
        let planned = try MigrationPlanner.plan(MigrationRequest(description: "initial", date: date), graph: RevisionGraph(files: []))
        XCTAssertEqual(planned.fileName, "20260212_000001_initial.py")
        XCTAssertEqual(planned.downRevisions, [])
        XCTAssertTrue(planned.python.contains("down_revision = None\n"))
    }

    func testMultipleHeadsIsAHistoryErrorListingTheHeads() {
        do {
            _ = try MigrationPlanner.plan(MigrationRequest(description: "x", date: date), graph: twoHeads)
            XCTFail("planned on top of two heads")
        } catch {
            guard case .history(let text) = error else { return XCTFail("expected .history, got \(error)") }
            XCTAssertEqual(error.exitCode, 3)
            XCTAssertTrue(text.contains("multiple_heads"), text)
            XCTAssertTrue(text.contains("heads:\n  \(rev(3))  \(rev(3))_step.py\n  \(rev(4))  \(rev(4))_step.py"), text)
        }
    }

    func testHeadPicksOne() throws {
        let planned = try MigrationPlanner.plan(MigrationRequest(description: "x", date: date, head: rev(4)), graph: twoHeads)
        XCTAssertEqual(planned.downRevisions, [rev(4)])
        XCTAssertEqual(planned.revision, "20260212_000005")
        XCTAssertTrue(planned.python.contains("Revises: \(rev(4))\n"))
        let other = try MigrationPlanner.plan(MigrationRequest(description: "x", date: date, head: rev(3)), graph: twoHeads)
        XCTAssertEqual(other.downRevisions, [rev(3)])
    }

    func testHeadOnALinearHistory() throws {
        let planned = try MigrationPlanner.plan(MigrationRequest(description: "x", date: date, head: rev(2)), graph: linear)
        XCTAssertEqual(planned.downRevisions, [rev(2)])
    }

    func testHeadNamingANonHead() {
        let issues = TestSupport.issues { () throws(VejaMigrateError) in
            _ = try MigrationPlanner.plan(MigrationRequest(description: "x", date: self.date, head: self.rev(2)), graph: self.twoHeads)
        }
        XCTAssertEqual(issues.map(\.field), ["--head"])
        XCTAssertTrue(issues.first?.problem.contains("not a head") ?? false, "\(issues)")
        XCTAssertTrue(issues.first?.fix.contains("\(rev(3)), \(rev(4))") ?? false, "\(issues)")
    }

    func testHeadNamingAnUnknownRevision() {
        let issues = TestSupport.issues { () throws(VejaMigrateError) in
            _ = try MigrationPlanner.plan(MigrationRequest(description: "x", date: self.date, head: "nope"), graph: self.twoHeads)
        }
        XCTAssertEqual(issues.map(\.field), ["--head"])
        XCTAssertTrue(issues.first?.problem.contains("nope") ?? false, "\(issues)")
        XCTAssertTrue(issues.first?.fix.contains(rev(3)) ?? false, "\(issues)")
    }

    func testBrokenChainIsAHistoryError() {
        let graph = RevisionGraph(files: [m(1, []), TestSupport.migration(rev(2), down: ["gone"])])
        XCTAssertThrowsError(try MigrationPlanner.plan(MigrationRequest(description: "x", date: date), graph: graph)) { error in
            guard case VejaMigrateError.history(let text) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(text.contains("missing_down_revision"), text)
        }
    }

    func testNamingMismatchDoesNotBlock() throws {
        let graph = RevisionGraph(files: [m(1, []), TestSupport.migration(rev(2), down: [rev(1)], fileName: "20260210_000007_x.py")])
        let planned = try MigrationPlanner.plan(MigrationRequest(description: "x", date: date), graph: graph)
        XCTAssertEqual(planned.downRevisions, [rev(2)])
        XCTAssertEqual(planned.revision, "20260212_000008")
    }

    func testArgumentDescriptionWinsOverSpec() throws {
        let spec = TestSupport.invoicesSpec()
        let planned = try MigrationPlanner.plan(MigrationRequest(description: "create billing tables", spec: spec, date: date), graph: linear)
        XCTAssertEqual(planned.fileName, "20260212_000003_create_billing_tables.py")
        XCTAssertTrue(planned.python.hasPrefix("\"\"\"create billing tables\n"))
        let fromSpec = try MigrationPlanner.plan(MigrationRequest(spec: spec, date: date), graph: linear)
        XCTAssertEqual(fromSpec.fileName, "20260212_000003_add_invoices_table.py")
        XCTAssertTrue(fromSpec.python.hasPrefix("\"\"\"add invoices table\n"))
    }

    func testDescriptionIsRequired() {
        let issues = TestSupport.issues { () throws(VejaMigrateError) in
            _ = try MigrationPlanner.plan(MigrationRequest(date: self.date), graph: self.linear)
        }
        XCTAssertEqual(issues.map(\.field), ["description"])
        let blank = TestSupport.issues { () throws(VejaMigrateError) in
            _ = try MigrationPlanner.plan(MigrationRequest(description: "  \t", date: self.date), graph: self.linear)
        }
        XCTAssertEqual(blank.map(\.field), ["description"])
    }

    func testDescriptionWithoutLetters() {
        let issues = TestSupport.issues { () throws(VejaMigrateError) in
            _ = try MigrationPlanner.plan(MigrationRequest(description: "!!!", date: self.date), graph: self.linear)
        }
        XCTAssertEqual(issues.map(\.field), ["description"])
    }

    func testInvalidSpecIsReportedBeforeHistoryProblems() {
        var spec = TestSupport.invoicesSpec()
        guard case .createTable(var t) = spec.operations[0] else { return XCTFail() }
        t.name = "Invoices"
        spec.operations = [.createTable(t)]
        let issues = TestSupport.issues { () throws(VejaMigrateError) in
            _ = try MigrationPlanner.plan(MigrationRequest(spec: spec, date: self.date), graph: self.twoHeads)
        }
        XCTAssertEqual(issues.map(\.field), ["create_table.name"])
    }

    func testReminders() {
        XCTAssertEqual(
            MigrationPlanner.reminders(repositoryPath: "backend/app/migrations/versions/20260212_000018_x.py"),
            [
                "Run `/test` to verify the migration applies cleanly against SQLite test DB.",
                "Deploy to server with `/deploy backend/app/migrations/versions/20260212_000018_x.py`.",
            ])
    }

    func testPlannedFileReadsBackAsTheNewHead() throws {
        let planned = try MigrationPlanner.plan(MigrationRequest(description: "x", date: date, head: rev(3)), graph: twoHeads)
        let header = try MigrationHeaderReader.read(bytes: Array(planned.python.utf8))
        let graph = RevisionGraph(files: twoHeads.files + [MigrationFile(fileName: planned.fileName, header: .success(header))])
        XCTAssertEqual(graph.heads, [rev(4), planned.revision])
    }
}
