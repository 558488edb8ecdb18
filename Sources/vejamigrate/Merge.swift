import ArgumentParser
import Foundation
import VejaMigrateCore

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join the heads: write the next migration, revising every head, with empty bodies.",
        discussion: """
            The file is named like every other (YYYYMMDD_NNNNNN_<slug>.py, "merge heads" by default); \
            down_revision is the tuple of the heads, as Alembic's merge writes it. With one head there is \
            nothing to merge: nothing is written, exit 0. A missing parent, a cycle, a duplicate revision \
            or an unreadable file: nothing is written, exit 3.
            """
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: "What the merge is, e.g. \"merge invoices and tags\" (default: \"merge heads\").")
    var description: String?

    @Flag(help: "Print the file to standard output; write nothing.")
    var dryRun = false

    @Flag(help: "Print {\"path\", \"revision\", \"down_revision\", \"written\"} as JSON.")
    var json = false

    struct Result: DeliveredFile {
        var path: String?
        var revision: String?
        var down_revision: [String]?
        var heads: [String]
        var written: Bool
        var content: String?

        enum CodingKeys: String, CodingKey { case path, revision, down_revision, heads, written, content }

        // path, revision and down_revision are null, not absent, when there was nothing to merge.
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path)
            try c.encode(revision, forKey: .revision)
            try c.encode(down_revision, forKey: .down_revision)
            try c.encode(heads, forKey: .heads)
            try c.encode(written, forKey: .written)
            try c.encodeIfPresent(content, forKey: .content)
        }
    }

    func run() throws {
        let locations = try common.locations()
        let lock = dryRun ? nil : try common.lock(locations.primary)
        defer { lock?.release() }
        let graph = RevisionGraph(files: try locations.readMigrations())
        let settings = try common.settings(for: locations)
        guard let planned = try MergePlanner.plan(description: description, date: common.today, graph: graph, lineLength: settings.lineLength) else {
            if json {
                printJSON(Result(heads: graph.heads, written: false))
            } else {
                let state = graph.heads.first.map { "the history has one head, \($0)" } ?? "the history has no migrations"
                print("nothing to merge: \(state)")
            }
            return
        }
        for p in graph.problems where !graph.chainProblems.contains(p) {
            printError("warning: \(p.kind.rawValue): \(p.message)")
        }
        warnIfBeforeParents(planned.downRevisions, graph: graph, date: common.today)
        let dir = locations.directory(forParents: planned.downRevisions, in: graph)
        let shownPath = dir.displayPath(of: planned.fileName, cwd: common.cwd)
        let result = Result(path: shownPath, revision: planned.revision, down_revision: planned.downRevisions, heads: graph.heads, written: !dryRun)
        try deliver(planned.python, fileName: planned.fileName, in: dir, common: common, dryRun: dryRun, json: json, result: result)
    }
}

/// A date before a parent's makes the new file sort before its parent in the directory.
func warnIfBeforeParents(_ parents: [String], graph: RevisionGraph, date: MigrationDate) {
    for parent in parents {
        if let parentDate = graph.file(for: parent)?.nameDate, parentDate > date.compact {
            printError("warning: --date \(date) is before the parent \(parent)'s date; the new file will sort before it")
        }
    }
}
