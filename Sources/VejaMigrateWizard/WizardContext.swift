import Foundation
import VejaMigrateCore

/// Where the wizard runs: the history's folders, its history at start, the project's settings and "today".
public struct WizardContext: Sendable {
    /// The folders found as `vejamigrate` finds them (`VersionLocations.discover`).
    public let locations: VersionLocations
    /// The history read whole: the graph, and the schema that tells which tables exist.
    public let history: MigrationHistory
    public var graph: RevisionGraph { history.graph }
    /// The project's line length and `safe` default, read once.
    public let settings: ProjectSettings
    public let date: MigrationDate
    public let cwd: URL
    /// True when `history` is still empty because the history is being read in the background
    /// (`locate`): the model shows that it is reading and waits for `.historyRead`.
    public var historyPending = false
    /// How long Write waits for another command holding the versions directory's lock.
    public var lockTimeout: Double = VersionsLock.defaultTimeout

    /// The versions directory as the user sees it, with the configuration file it was read from:
    /// `backend/app/migrations/versions (backend/alembic.ini)`. The header shortens it from the
    /// left, so the file followed stays in sight.
    public var directoryLabel: String {
        let dirs = locations.displayPaths(cwd: cwd).joined(separator: ", ")
        return locations.configLabel(cwd: cwd).map { "\(dirs) (\($0))" } ?? dirs
    }

    public init(locations: VersionLocations, history: MigrationHistory, settings: ProjectSettings = ProjectSettings(), date: MigrationDate, cwd: URL) {
        self.locations = locations
        self.history = history
        self.settings = settings
        self.date = date
        self.cwd = cwd
    }

    /// Finds the folders and settings (as `vejamigrate` does) and reads the history.
    public static func load(_ request: DiscoveryRequest, date: MigrationDate) throws(VejaMigrateError) -> WizardContext {
        let (locations, settings) = try find(request)
        return WizardContext(locations: locations, history: try locations.readHistory(), settings: settings, date: date, cwd: request.cwd)
    }

    static func find(_ request: DiscoveryRequest) throws(VejaMigrateError) -> (VersionLocations, ProjectSettings) {
        let locations = try VersionLocations.discover(request)
        do {
            return (locations, try ProjectSettings.load(for: locations))
        } catch {
            throw .config(error.relative(to: request.cwd))
        }
    }

    /// Finds the folders and checks that they can be listed, without reading the files: the
    /// driver draws the first frame at once and reads the history in the background.
    public static func locate(_ request: DiscoveryRequest, date: MigrationDate) throws(VejaMigrateError) -> WizardContext {
        let (locations, settings) = try find(request)
        try locations.checkReadable()
        var context = WizardContext(
            locations: locations, history: MigrationHistory(graph: RevisionGraph(files: []), schema: HistorySchema()), settings: settings, date: date, cwd: request.cwd)
        context.historyPending = true
        return context
    }

    /// `locate` with `--versions-dir` alone (nil: discovered from `cwd`).
    public static func locate(versionsDirectory: String?, date: MigrationDate, cwd: URL) throws(VejaMigrateError) -> WizardContext {
        try locate(DiscoveryRequest(versionsDir: versionsDirectory, cwd: cwd), date: date)
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
                return .historyRead(try context.locations.readHistory())
            } catch {
                return .failed(error.message)
            }
        // The driver runs verify itself, in the background (its steps arrive as messages).
        case .none, .quit, .suspend, .verify, .discardDraft: return .failed("nothing to do")
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
            // the one the file is planned on, and no other writer can add a file in between. With
            // several version locations every writer locks the first (primary) one.
            let lock = try VersionsLock.acquire(in: context.locations.primary, timeout: context.lockTimeout)
            defer { lock.release() }
            let history = try context.locations.readHistory()
            let fresh = history.graph
            if fresh.heads != model.graph.heads || fresh.nextSequence != model.graph.nextSequence {
                let next = MigrationNaming.revisionID(date: model.date, sequence: fresh.nextSequence)
                let parent = fresh.heads.count == 1 ? fresh.heads[0] : fresh.heads.isEmpty ? "none" : "one of \(fresh.heads.count) heads"
                return .historyChanged(history, "The history changed while the wizard was open: the new migration is now \(next), revising \(parent). Check the preview and write again.")
            }
            let parents = try MigrationPlanner.parents(in: fresh, head: model.request.head)
            let planned = try MigrationPlanner.plan(model.request, graph: fresh, schema: history.schema(at: parents))
            // Next to the parent's file, as `vejamigrate new` writes it.
            let directory = context.locations.directory(forParents: planned.downRevisions, in: fresh)
            try MigrationWriter.write(planned.python, to: directory.url, fileName: planned.fileName)
            return .written(
                path: directory.displayPath(of: planned.fileName, cwd: context.cwd),
                repositoryPath: directory.repositoryPath(of: planned.fileName, cwd: context.cwd),
                text: planned.python)
        } catch {
            return .failed(error.message)
        }
    }
}
