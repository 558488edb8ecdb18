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

    @Flag(help: "Draw the revision graph as git log --graph does: newest first, branches, merges and heads.")
    var graph = false

    func validate() throws {
        if json && graph { throw ValidationError("--json and --graph ask for two outputs; use one of them") }
    }

    struct Report: Encodable {
        var versions_dir: String
        /// Every folder of the history (Alembic's version_locations), the first being versions_dir.
        var versions_dirs: [String]
        /// The alembic.ini or pyproject.toml the folders came from; null for --versions-dir and the seed location.
        var config: String?
        var migrations: Int
        var heads: [String]
        var next_sequence: Int
        var next_revision: String
        var problems: [Problem]

        enum CodingKeys: String, CodingKey { case versions_dir, versions_dirs, config, migrations, heads, next_sequence, next_revision, problems }

        // config is null, not absent, when no configuration file was read.
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(versions_dir, forKey: .versions_dir)
            try c.encode(versions_dirs, forKey: .versions_dirs)
            try c.encode(config, forKey: .config)
            try c.encode(migrations, forKey: .migrations)
            try c.encode(heads, forKey: .heads)
            try c.encode(next_sequence, forKey: .next_sequence)
            try c.encode(next_revision, forKey: .next_revision)
            try c.encode(problems, forKey: .problems)
        }
    }

    /// A history problem as `status` prints it: the graph's fields, and how to fix it.
    struct Problem: Encodable {
        var kind: HistoryProblem.Kind
        var message: String
        var files: [String]
        var fix: Fix
    }

    struct Fix: Encodable {
        /// Command lines to run, best first; empty when the fix is an edit by hand.
        var commands: [String]
        var text: String
    }

    /// A fix's commands as lines to paste: shell-quoted, with the --versions-dir and -c this run was given.
    static func commandLine(_ words: [String], location: [String]) -> String {
        let all = words + location
        return all.map(shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || "_-./=:,+@%".utf8.contains(b)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    func run() throws {
        let locations = try common.locations()
        let graph = RevisionGraph(files: try locations.readMigrations())
        let report = Report(
            versions_dir: locations.primary.displayPath(cwd: common.cwd),
            versions_dirs: locations.displayPaths(cwd: common.cwd),
            config: locations.configLabel(cwd: common.cwd),
            migrations: graph.files.count,
            heads: graph.heads,
            next_sequence: graph.nextSequence,
            next_revision: MigrationNaming.revisionID(date: common.today, sequence: graph.nextSequence),
            problems: graph.problems.map { p in
                let fix = graph.fix(for: p)
                return Problem(
                    kind: p.kind, message: p.message, files: p.files,
                    fix: Fix(commands: fix.commands.map { Status.commandLine($0, location: common.locationArguments) }, text: fix.text))
            })
        if json {
            printJSON(report)
        } else if self.graph {
            print(Status.drawing(graph, color: OutputColor()), terminator: "")
            if !graph.problems.isEmpty {
                print("problems: \(graph.problems.count) (vejamigrate status lists them)")
            }
        } else {
            if let config = report.config { print("config: \(config)") }
            if report.versions_dirs.count > 1 {
                print("versions directories: \(report.versions_dirs.joined(separator: ", "))")
            } else {
                print("versions directory: \(report.versions_dir)")
            }
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
                for p in report.problems {
                    print("  - \(p.kind.rawValue): \(p.message)")
                    print("    fix: \(p.fix.text)")
                }
            }
        }
        if !graph.isHealthy { throw ExitCode(3) }
    }

    /// `--graph`: the drawing, each `*` followed by its revision and file, heads and merges marked.
    static func drawing(_ graph: RevisionGraph, color: OutputColor) -> String {
        let heads = Set(graph.heads)
        var out = ""
        for row in RevisionGraphDrawing.rows(graph) {
            guard let i = row.file else {
                out += row.graph + "\n"
                continue
            }
            let file = graph.files[i]
            let star: String = color.paint("*", OutputColor.Style.bold)
            let revision: String = file.revision ?? "?"
            var line: String = row.graph.replacingOccurrences(of: "*", with: star)
            line += " \(revision)  \(file.fileName)"
            if heads.contains(revision) { line += " " + color.paint("(head)", OutputColor.Style.yellow) }
            if graph.parents(ofFile: i).count > 1 { line += " " + color.paint("(merge)", OutputColor.Style.green) }
            out += line + "\n"
        }
        return out.isEmpty ? "(no migrations)\n" : out
    }
}
