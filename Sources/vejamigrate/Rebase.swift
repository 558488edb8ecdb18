import ArgumentParser
import Foundation
import VejaMigrateCore

struct Rebase: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move a migration that is not yet shared onto the current head.",
        discussion: """
            FILE is a path, a file name in the versions directory, or a revision. The migration gets the \
            next sequence number and today's date (--date): a new file name, and revision, down_revision \
            and the docstring's Revision ID, Revises and Create Date rewritten where they stand; every \
            other byte is kept. The new file is written before the old one is removed. A migration that \
            another migration revises is not moved (exit 3); one that already revises the only head and \
            has the highest number is left alone (exit 0).
            """
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("The migration to move: a path, a file name in the versions directory, or its revision.", valueName: "file"))
    var file: String

    @Flag(help: "Print the new file to standard output; write nothing.")
    var dryRun = false

    @Flag(help: "Print {\"path\", \"old_path\", \"revision\", \"old_revision\", \"down_revision\", \"written\"} as JSON.")
    var json = false

    struct Result: Encodable {
        var path: String
        var old_path: String
        var revision: String
        var old_revision: String
        var down_revision: [String]
        var old_down_revision: [String]
        var written: Bool
        var content: String?
    }

    /// The migration FILE names: its folder (one of the history's) and its file name.
    func migration(in locations: VersionLocations, graph: RevisionGraph) throws(VejaMigrateError) -> (VersionsDirectory, String) {
        let shown = locations.displayPaths(cwd: common.cwd).joined(separator: ", ")
        // A bare name is the history's first, whatever the current directory holds.
        if !file.contains("/"), let found = graph.files.first(where: { $0.fileName == file }) { return (locations.directory(of: found), file) }
        let url = URL(fileURLWithPath: file, relativeTo: common.cwd).standardizedFileURL
        if FileManager.default.fileExists(atPath: url.path) {
            guard let dir = locations.directory(containing: url) else {
                throw .invalidInput([SpecIssue(field: "FILE", problem: "\(file) is not in the versions directory \(shown)", fix: "name a migration of that directory, or pass --versions-dir DIR")])
            }
            return (dir, url.lastPathComponent)
        }
        if let byRevision = graph.file(for: file) { return (locations.directory(of: byRevision), byRevision.fileName) }
        throw .invalidInput([SpecIssue(field: "FILE", problem: "\(file) is neither a file nor a revision in \(shown)", fix: "name a migration's path, file name or revision (`vejamigrate status` lists the heads)")])
    }

    func run() throws {
        let locations = try common.locations()
        let lock = dryRun ? nil : try common.lock(locations.primary)
        defer { lock?.release() }
        let graph = RevisionGraph(files: try locations.readMigrations())
        // The moved file stays in its own folder (with several version locations, its branch's).
        let (dir, name) = try migration(in: locations, graph: graph)
        guard let data = FileManager.default.contents(atPath: dir.url.appendingPathComponent(name).path) else {
            throw VejaMigrateError.io("cannot read \(dir.displayPath(of: name, cwd: common.cwd))")
        }
        let outcome = try RebasePlanner.plan(fileName: name, bytes: Array(data), graph: graph, date: common.today)
        let oldPath = dir.displayPath(of: name, cwd: common.cwd)
        guard case .rebased(let planned) = outcome else {
            guard case .alreadyOnHead(let revision, let head) = outcome else { return }
            let down = head.map { [$0] } ?? []
            if json {
                printJSON(Result(path: oldPath, old_path: oldPath, revision: revision, old_revision: revision, down_revision: down, old_down_revision: down, written: false))
            } else {
                print("nothing to rebase: \(name) revises the only other head (\(head ?? "none")) and has the highest number")
            }
            return
        }
        warnIfBeforeParents(planned.downRevisions, graph: graph, date: common.today)
        let newPath = dir.displayPath(of: planned.fileName, cwd: common.cwd)
        var result = Result(
            path: newPath, old_path: oldPath, revision: planned.revision, old_revision: planned.oldRevision,
            down_revision: planned.downRevisions, old_down_revision: planned.oldDownRevisions, written: !dryRun)
        let text = String(decoding: planned.bytes, as: UTF8.self)
        if dryRun {
            if json {
                result.content = text
                printJSON(result)
            } else {
                print(text, terminator: "")
            }
            return
        }
        if planned.fileName == name {
            try MigrationWriter.replace(bytes: planned.bytes, in: dir.url, fileName: name)
        } else {
            // The new file first: if it cannot be written, the old one is still there.
            try MigrationWriter.write(bytes: planned.bytes, to: dir.url, fileName: planned.fileName)
            if unlink(dir.url.appendingPathComponent(name).path) != 0 {
                let reason = String(cString: strerror(errno))
                throw VejaMigrateError.io("wrote \(newPath), but cannot remove \(oldPath): \(reason); remove it by hand")
            }
        }
        if json {
            printJSON(result)
            return
        }
        print(newPath)
        let parent = planned.downRevisions.first ?? "None"
        print("moved from \(oldPath): revision \(planned.oldRevision) -> \(planned.revision), revises \(parent)")
        for line in MigrationPlanner.reminders(repositoryPath: dir.repositoryPath(of: planned.fileName, cwd: common.cwd)) {
            print(line)
        }
    }
}
