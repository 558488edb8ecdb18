import Foundation

/// The folders a history lives in (Alembic's `version_locations`: one folder, or several whose
/// union is the history), and how they were found. Every command and the wizard read and write
/// through this one value, made by `VersionLocations.discover` or from `--versions-dir`.
public struct VersionLocations: Sendable {
    /// How the folders were found, in the order discovery tries (docs/cli.md).
    public enum Origin: String, Equatable, Sendable {
        /// `--versions-dir DIR`.
        case versionsDirOption = "--versions-dir"
        /// `-c/--config FILE`.
        case configOption = "--config"
        /// The `ALEMBIC_CONFIG` environment variable.
        case environment = "ALEMBIC_CONFIG"
        /// `alembic.ini` or `pyproject.toml` in the current directory.
        case currentDirectory = "current directory"
        /// The seed's `backend/app/migrations/versions/`.
        case seedLocation = "seed location"
        /// `alembic.ini` or `pyproject.toml` at the top of the git work tree or in one of its immediate subfolders.
        case repositoryTop = "git work tree"
    }

    /// The folders, in the order Alembic reads them; never empty. With `recursive_version_locations`
    /// each location's subfolders follow it.
    public let directories: [VersionsDirectory]
    public let origin: Origin
    /// The configuration file the folders come from (the file that sets `script_location` or
    /// `version_locations`); nil for `--versions-dir` and the seed location.
    public let configFile: URL?
    /// Every configuration file read (`alembic.ini` and `pyproject.toml` when both are).
    public let configFiles: [URL]

    public init(directories: [VersionsDirectory], origin: Origin, configFile: URL? = nil, configFiles: [URL] = []) {
        precondition(!directories.isEmpty, "a history has at least one folder")
        self.directories = directories
        self.origin = origin
        self.configFile = configFile
        self.configFiles = configFiles
    }

    /// One folder, as `--versions-dir` names it.
    public init(_ directory: VersionsDirectory, origin: Origin = .versionsDirOption) {
        self.init(directories: [directory], origin: origin)
    }

    /// The first folder: the one shown as `versions_dir`, and where a history with no migration gets its first.
    public var primary: VersionsDirectory { directories[0] }

    /// The folders as the user sees them, relative to `cwd` when inside it.
    public func displayPaths(cwd: URL) -> [String] { directories.map { $0.displayPath(cwd: cwd) } }

    /// The configuration file as the user sees it, relative to `cwd` when inside it; nil when none was read.
    public func configLabel(cwd: URL) -> String? {
        configFile.map { ConfigIssue.relative($0.standardizedFileURL.path, to: cwd.standardizedFileURL.path) }
    }

    /// Checks that every folder can be listed, without reading the files.
    public func checkReadable() throws(VejaMigrateError) {
        for d in directories { _ = try d.migrationFileNames() }
    }

    /// Every migration's header, from every folder, in one list sorted by file name (then folder).
    public func readMigrations() throws(VejaMigrateError) -> [MigrationFile] {
        var files: [MigrationFile] = []
        for d in directories { files += try d.readMigrations() }
        return directories.count == 1 ? files : files.sorted(by: VersionLocations.order)
    }

    /// Every migration read whole, from every folder (each with its own cache).
    public func readSources(downgrades: Bool = false) throws(VejaMigrateError) -> [MigrationSource] {
        var sources: [MigrationSource] = []
        for d in directories { sources += try d.readSources(downgrades: downgrades) }
        return directories.count == 1 ? sources : sources.sorted { VersionLocations.order($0.file, $1.file) }
    }

    /// The union history: graph and schema of every folder's migrations.
    public func readHistory(downgrades: Bool = false) throws(VejaMigrateError) -> MigrationHistory {
        SchemaReader.history(sources: try readSources(downgrades: downgrades))
    }

    static func order(_ a: MigrationFile, _ b: MigrationFile) -> Bool {
        a.fileName != b.fileName ? a.fileName < b.fileName : (a.directory?.path ?? "") < (b.directory?.path ?? "")
    }

    /// The folder that holds `file` (the primary one for a file built in memory).
    public func directory(of file: MigrationFile) -> VersionsDirectory {
        guard let url = file.directory?.standardizedFileURL else { return primary }
        return directories.first { $0.url == url } ?? VersionsDirectory(url: url)
    }

    /// Where a new migration with these parents goes: next to its (first) parent's file, as
    /// `alembic revision` puts it next to its head; the primary folder when it has none.
    public func directory(forParents parents: [String], in graph: RevisionGraph) -> VersionsDirectory {
        guard let parent = parents.first, let file = graph.file(for: parent) else { return primary }
        return directory(of: file)
    }

    /// The folder a path names, when it is one of these (symbolic links resolved).
    public func directory(containing path: URL) -> VersionsDirectory? {
        let parent = path.deletingLastPathComponent().resolvingSymlinksInPath().path
        return directories.first { $0.url.resolvingSymlinksInPath().path == parent }
    }
}
