import ArgumentParser
import Foundation
import VejaMigrateCore

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the history and say where it stands.",
        discussion: "Exit 0 when the history is healthy, 3 when it has problems."
    )

    @OptionGroup var common: CommonOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    struct Report: Encodable {
        var versions_dir: String
        var migrations: Int
        var heads: [String]
        var next_sequence: Int
        var next_revision: String
        var problems: [HistoryProblem]
    }

    func run() throws {
        let dir = try common.versionsDirectory()
        let graph = RevisionGraph(files: try dir.readMigrations())
        let report = Report(
            versions_dir: dir.displayPath(cwd: common.cwd),
            migrations: graph.files.count,
            heads: graph.heads,
            next_sequence: graph.nextSequence,
            next_revision: MigrationNaming.revisionID(date: common.today, sequence: graph.nextSequence),
            problems: graph.problems)
        if json {
            printJSON(report)
        } else {
            print("versions directory: \(report.versions_dir)")
            print("migrations: \(report.migrations)")
            if graph.heads.isEmpty {
                print("head: none")
            }
            for head in graph.heads {
                print("head: \(head)  (\(graph.file(for: head)!.fileName))")
            }
            print("next: \(report.next_revision)  (sequence \(MigrationNaming.sequenceString(report.next_sequence)))")
            if graph.problems.isEmpty {
                print("history: healthy")
            } else {
                print("problems: \(graph.problems.count)")
                for p in graph.problems { print("  - \(p.kind.rawValue): \(p.message)") }
            }
        }
        if !graph.isHealthy { throw ExitCode(3) }
    }
}
