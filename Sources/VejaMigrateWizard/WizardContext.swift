import Foundation
import VejaMigrateCore

/// Where the wizard runs: the versions directory, its history at start, and "today".
public struct WizardContext: Sendable {
    public let directory: VersionsDirectory
    /// The history read whole: the graph, and the schema that tells which tables exist.
    public let history: MigrationHistory
    public var graph: RevisionGraph { history.graph }
    public let date: MigrationDate
    public let cwd: URL
    /// True when `history` is still empty because the history is being read in the background
    /// (`locate`): the model shows that it is reading and waits for `.historyRead`.
    public var historyPending = false
    /// How long Write waits for another command holding the versions directory's lock.
    public var lockTimeout: Double = VersionsLock.defaultTimeout

    /// The versions directory as the user sees it.
    public var directoryLabel: String { directory.displayPath(cwd: cwd) }

    /// Finds the versions directory (as `vejamigrate` does) and reads the history.
    public static func load(versionsDirectory: String?, date: MigrationDate, cwd: URL) throws(VejaMigrateError) -> WizardContext {
        let dir = try directory(versionsDirectory, cwd: cwd)
        return WizardContext(directory: dir, history: try dir.readHistory(), date: date, cwd: cwd)
    }

    /// `--versions-dir` relative to `cwd`, or the one `vejamigrate` would find.
    static func directory(_ versionsDirectory: String?, cwd: URL) throws(VejaMigrateError) -> VersionsDirectory {
        if let versionsDirectory { return VersionsDirectory(url: URL(fileURLWithPath: versionsDirectory, relativeTo: cwd)) }
        return try VersionsDirectory.discover(from: cwd)
    }

    /// Finds the versions directory and checks that it can be listed, without reading the files:
    /// the driver draws the first frame at once and reads the history in the background.
    public static func locate(versionsDirectory: String?, date: MigrationDate, cwd: URL) throws(VejaMigrateError) -> WizardContext {
        let dir = try directory(versionsDirectory, cwd: cwd)
        _ = try dir.migrationFileNames()
        var context = WizardContext(directory: dir, history: MigrationHistory(graph: RevisionGraph(files: []), schema: HistorySchema()), date: date, cwd: cwd)
        context.historyPending = true
        return context
    }
}

/// Performs the model's effects: the only part of the wizard that touches files.
public enum WizardRuntime {
    public static func perform(_ effect: Effect, model: WizardModel, context: WizardContext) -> EffectResult {
        switch effect {
        case .write: return write(model: model, context: context)
        case .saveSpec(let path, let text): return saveSpec(path: path, text: text, context: context)
        case .startOver:
            do throws(VejaMigrateError) {
                return .historyRead(try context.directory.readHistory())
            } catch {
                return .failed(error.message)
            }
        case .none, .quit, .suspend: return .failed("nothing to do")
        }
    }

    /// Writes the spec next to nothing important: at `path` (relative to the current directory),
    /// atomically and never over an existing file, like a migration.
    static func saveSpec(path: String, text: String, context: WizardContext) -> EffectResult {
        let url = URL(fileURLWithPath: path, relativeTo: context.cwd).standardizedFileURL
        do throws(VejaMigrateError) {
            try MigrationWriter.write(text, to: url.deletingLastPathComponent(), fileName: url.lastPathComponent)
            return .specSaved(path: path, directory: context.cwd.path)
        } catch {
            return .failed(error.message)
        }
    }

    /// Takes the versions directory's lock and reads the history again; if it moved (another writer
    /// added a file since the wizard read it), writes nothing and reports it, so the user sees the
    /// new parent and sequence number in the preview and confirms again.
    /// Otherwise plans with the core (exactly as `vejamigrate new --spec`) and writes atomically.
    static func write(model: WizardModel, context: WizardContext) -> EffectResult {
        do throws(VejaMigrateError) {
            // Under the versions directory's lock, like `vejamigrate new`: the history read here is
            // the one the file is planned on, and no other writer can add a file in between.
            let lock = try VersionsLock.acquire(in: context.directory, timeout: context.lockTimeout)
            defer { lock.release() }
            let history = try context.directory.readHistory()
            let fresh = history.graph
            if fresh.heads != model.graph.heads || fresh.nextSequence != model.graph.nextSequence {
                let next = MigrationNaming.revisionID(date: model.date, sequence: fresh.nextSequence)
                let parent = fresh.heads.count == 1 ? fresh.heads[0] : fresh.heads.isEmpty ? "none" : "one of \(fresh.heads.count) heads"
                return .historyChanged(history, "The history changed while the wizard was open: the new migration is now \(next), revising \(parent). Check the preview and write again.")
            }
            let parents = try MigrationPlanner.parents(in: fresh, head: model.request.head)
            let planned = try MigrationPlanner.plan(model.request, graph: fresh, schema: history.schema(at: parents))
            try MigrationWriter.write(planned.python, to: context.directory.url, fileName: planned.fileName)
            return .written(
                path: context.directory.displayPath(of: planned.fileName, cwd: context.cwd),
                repositoryPath: context.directory.repositoryPath(of: planned.fileName, cwd: context.cwd),
                text: planned.python)
        } catch {
            return .failed(error.message)
        }
    }
}
