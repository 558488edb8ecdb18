import ArgumentParser
import Foundation
import VejaMigrateCore

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the next migration.",
        discussion: """
            Without --spec the body is the seed's empty template. With --spec FILE (or - for standard input) \
            the body is built from the JSON spec (docs/spec.md). The file is created atomically and never \
            replaces an existing one. Several heads or a broken chain: nothing is written, exit 3, \
            unless --head names the parent.
            """
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: "A short English description, e.g. \"add invoices table\" (wins over the spec's).")
    var description: String?

    @Option(help: ArgumentHelp("Build the body from a JSON spec; - reads standard input.", valueName: "file"))
    var spec: String?

    @Flag(help: "Print the file to standard output; write nothing.")
    var dryRun = false

    @Flag(help: "Print the PostgreSQL DDL that upgrade and downgrade would run; write nothing.")
    var sql = false

    @Option(help: ArgumentHelp("The parent revision, when the history has several heads.", valueName: "rev"))
    var head: String?

    @Flag(help: "Print {\"path\", \"revision\", \"down_revision\"} as JSON.")
    var json = false

    struct Result: DeliveredFile {
        var path: String
        var revision: String
        var down_revision: DownRevision
        var content: String?
    }

    enum DownRevision: Encodable {
        case revisions([String])
        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .revisions(let r) where r.isEmpty: try c.encodeNil()
            case .revisions(let r) where r.count == 1: try c.encode(r[0])
            case .revisions(let r): try c.encode(r)
            }
        }
    }

    func readSpec() throws(VejaMigrateError) -> MigrationSpec? {
        guard let spec else { return nil }
        let data: Data
        if spec == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: spec))
            } catch {
                throw .invalidInput([SpecIssue(field: "--spec", problem: "cannot read \(spec)", fix: "check the path")])
            }
        }
        return try SpecReader.read(json: data, description: description)
    }

    func run() throws {
        let spec = try readSpec()
        if description == nil && spec?.description == nil {
            throw VejaMigrateError.invalidInput([SpecIssue(field: "description", problem: "is missing", fix: "pass it as an argument, e.g. vejamigrate new \"add invoices table\", or set \"description\" in the spec")])
        }
        let locations = try common.locations()
        // Writing: the history is read, planned on and written under the lock of the (first)
        // versions directory, so a second writer plans on top of this one's file (docs/concurrency.md).
        let lock = dryRun || sql ? nil : try common.lock(locations.primary)
        defer { lock?.release() }
        // The whole history (upgrade() bodies too) is read only when the spec changes tables;
        // otherwise the headers are enough.
        let graph: RevisionGraph
        var schema: HistorySchema?
        if let spec, !spec.operations.isEmpty {
            let history = try locations.readHistory()
            graph = history.graph
            // The schema at the parent: a branch that --head leaves out does not count. When the
            // parent is uncertain, the planner reports that (after the spec's own errors).
            if let parents = try? MigrationPlanner.parents(in: graph, head: head) {
                schema = history.schema(at: parents)
            }
        } else {
            graph = RevisionGraph(files: try locations.readMigrations())
        }
        let settings = try common.settings(for: locations)
        let request = MigrationRequest(description: description, spec: spec, date: common.today, head: head).following(settings)
        let planned = try MigrationPlanner.plan(request, graph: graph, schema: schema)
        for p in graph.problems where !graph.chainProblems.contains(p) {
            printError("warning: \(p.kind.rawValue): \(p.message)")
        }
        for w in planned.warnings {
            printError(w.warningDescription)
        }
        warnIfBeforeParents(planned.downRevisions, graph: graph, date: common.today)
        // Next to the parent's file: with several version locations, the head's folder.
        let dir = locations.directory(forParents: planned.downRevisions, in: graph)
        let shownPath = dir.displayPath(of: planned.fileName, cwd: common.cwd)
        let result = Result(path: shownPath, revision: planned.revision, down_revision: .revisions(planned.downRevisions))
        if sql {
            print(planned.sql, terminator: "")
            return
        }
        try deliver(planned.python, fileName: planned.fileName, in: dir, common: common, dryRun: dryRun, json: json, result: result)
    }
}

/// The `--json` of a command that writes one migration: `content` holds the file under `--dry-run`.
protocol DeliveredFile: Encodable {
    var content: String? { get set }
}

/// What `new` and `merge` do with the file they planned: print it (`--dry-run`), or write it
/// atomically and print its path and the seed's reminders; `--json` prints `result` instead.
func deliver<R: DeliveredFile>(
    _ python: String, fileName: String, in dir: VersionsDirectory, common: CommonOptions, dryRun: Bool, json: Bool, result: R
) throws {
    if dryRun {
        if json {
            var r = result
            r.content = python
            printJSON(r)
        } else {
            print(python, terminator: "")
        }
        return
    }
    try MigrationWriter.write(python, to: dir.url, fileName: fileName)
    if json {
        printJSON(result)
        return
    }
    print(dir.displayPath(of: fileName, cwd: common.cwd))
    for line in MigrationPlanner.reminders(repositoryPath: dir.repositoryPath(of: fileName, cwd: common.cwd)) {
        print(line)
    }
}
