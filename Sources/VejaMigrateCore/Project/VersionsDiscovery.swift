import Foundation

/// What a command was told about where the history is: its `--versions-dir`, its `-c/--config`
/// files, the environment (`ALEMBIC_CONFIG`) and the current directory.
public struct DiscoveryRequest: Sendable {
    public var versionsDir: String?
    public var configFiles: [String]
    public var environment: [String: String]
    public var cwd: URL

    public init(versionsDir: String? = nil, configFiles: [String] = [], environment: [String: String] = ProcessInfo.processInfo.environment, cwd: URL) {
        self.versionsDir = versionsDir
        self.configFiles = configFiles
        self.environment = environment
        self.cwd = cwd
    }
}

extension VersionLocations {
    /// The history's folders, found as docs/cli.md says (the first that exists wins):
    ///
    /// 0. `--versions-dir DIR`;
    /// 1. `-c/--config FILE` (an `alembic.ini` or a `pyproject.toml`; once each, as Alembic takes
    ///    them), then `ALEMBIC_CONFIG`: the other file of the pair is the current directory's,
    ///    as in Alembic;
    /// 2. `alembic.ini` with `[alembic]`, or `pyproject.toml` with `[tool.alembic]`, in the current directory;
    /// 3. the seed's `backend/app/migrations/versions/` under the current directory or the git work tree's top;
    /// 4. the same configuration files at the git work tree's top, or in exactly one of its immediate subfolders.
    ///
    /// Configuration problems are `.config` (exit 2), naming the file and key relative to `cwd`;
    /// nothing found, or folders that do not exist, `.io` (exit 4).
    public static func discover(_ request: DiscoveryRequest) throws(VejaMigrateError) -> VersionLocations {
        let cwd = request.cwd.standardizedFileURL
        if let dir = request.versionsDir {
            return VersionLocations(VersionsDirectory(url: URL(fileURLWithPath: dir, relativeTo: cwd)))
        }
        do {
            return try find(request, cwd: cwd)
        } catch let error {
            if case .config(let issue) = error {
                var shown = issue
                shown.file = ConfigIssue.relative(issue.file, to: cwd.path)
                throw .config(shown)
            }
            throw error
        }
    }

    private static func find(_ request: DiscoveryRequest, cwd: URL) throws(VejaMigrateError) -> VersionLocations {
        let fm = FileManager.default
        let iniHere = cwd.appendingPathComponent("alembic.ini")
        let tomlHere = cwd.appendingPathComponent("pyproject.toml")
        // 1. -c/--config, then ALEMBIC_CONFIG, with Alembic's pairing of the two files.
        if !request.configFiles.isEmpty {
            var ini: URL?, toml: URL?
            for name in request.configFiles {
                let url = URL(fileURLWithPath: name, relativeTo: cwd).standardizedFileURL
                guard AlembicConfig.exists(url) else {
                    throw .config(ConfigIssue(file: url.path, key: "--config", problem: "there is no such file", fix: "name an alembic.ini or a pyproject.toml that exists"))
                }
                if url.lastPathComponent == "pyproject.toml" {
                    guard toml == nil else {
                        throw .config(ConfigIssue(file: url.path, key: "--config", problem: "a pyproject.toml is named twice", fix: "give -c at most one pyproject.toml and one ini file"))
                    }
                    toml = url
                } else {
                    guard ini == nil else {
                        throw .config(ConfigIssue(file: url.path, key: "--config", problem: "a second ini file is named", fix: "give -c at most one ini file and one pyproject.toml"))
                    }
                    ini = url
                }
            }
            return try locations(ini: ini ?? iniHere, pyproject: toml ?? tomlHere, origin: .configOption, named: ini ?? toml!, cwd: cwd)
        }
        if let env = request.environment["ALEMBIC_CONFIG"], !env.isEmpty {
            let url = URL(fileURLWithPath: env, relativeTo: cwd).standardizedFileURL
            guard AlembicConfig.exists(url) else {
                throw .config(ConfigIssue(file: url.path, key: "ALEMBIC_CONFIG", problem: "the environment variable names a file that does not exist", fix: "point ALEMBIC_CONFIG at your alembic.ini or pyproject.toml, or unset it"))
            }
            let isToml = url.lastPathComponent == "pyproject.toml"
            return try locations(ini: isToml ? iniHere : url, pyproject: isToml ? url : tomlHere, origin: .environment, named: url, cwd: cwd)
        }
        // 2. The current directory's configuration.
        if let found = try configured(in: cwd, origin: .currentDirectory, cwd: cwd) { return found }
        // 3. The seed's location.
        var tried = ["alembic.ini or pyproject.toml [tool.alembic] in \(cwd.path)"]
        let here = cwd.appendingPathComponent(VersionsDirectory.conventionalPath)
        tried.append(here.path)
        if VersionsDirectory.isDirectory(here) { return VersionLocations(VersionsDirectory(url: here), origin: .seedLocation) }
        let top = VersionsDirectory.gitWorkTree(containing: cwd)
        if let top {
            let there = top.appendingPathComponent(VersionsDirectory.conventionalPath)
            if there.standardizedFileURL != here.standardizedFileURL {
                tried.append(there.path)
                if VersionsDirectory.isDirectory(there) { return VersionLocations(VersionsDirectory(url: there), origin: .seedLocation) }
            }
            // 4. The work tree's top, then its immediate subfolders (backend/alembic.ini).
            if top.standardizedFileURL != cwd, let found = try configured(in: top, origin: .repositoryTop, cwd: cwd) { return found }
            let names = ((try? fm.contentsOfDirectory(atPath: top.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
            var candidates: [VersionLocations] = []
            for name in names {
                let sub = top.appendingPathComponent(name)
                guard VersionsDirectory.isDirectory(sub), sub.standardizedFileURL != cwd else { continue }
                if let found = try configured(in: sub, origin: .repositoryTop, cwd: cwd) { candidates.append(found) }
            }
            if candidates.count == 1 { return candidates[0] }
            if candidates.count > 1 {
                let files = candidates.compactMap { $0.configFile?.path }
                throw .config(ConfigIssue(
                    file: top.path, key: nil,
                    problem: "several folders of the repository have an Alembic configuration: " + files.joined(separator: ", "),
                    fix: "run from the folder of the one you mean, or pass -c FILE"))
            }
            tried.append("alembic.ini or pyproject.toml [tool.alembic] in \(top.path) and its immediate subfolders")
        }
        throw .io(
            "no versions directory found (looked for " + tried.joined(separator: "; ") + "); "
                + "run from your repository, or pass -c alembic.ini or --versions-dir DIR")
    }

    /// The folder's `alembic.ini` (with `[alembic]`) and `pyproject.toml` (with `[tool.alembic]`), read together; nil when it has neither.
    private static func configured(in folder: URL, origin: Origin, cwd: URL) throws(VejaMigrateError) -> VersionLocations? {
        let ini = folder.appendingPathComponent("alembic.ini")
        let toml = folder.appendingPathComponent("pyproject.toml")
        guard AlembicConfig.exists(ini) || AlembicConfig.exists(toml) else { return nil }
        let config: AlembicConfig
        do { config = try AlembicConfig(ini: ini, pyproject: toml) } catch { throw .config(error) }
        guard config.hasIniSection || config.hasToolAlembic else { return nil }
        return try locations(config, origin: origin, cwd: cwd)
    }

    private static func locations(ini: URL, pyproject: URL, origin: Origin, named: URL, cwd: URL) throws(VejaMigrateError) -> VersionLocations {
        let config: AlembicConfig
        do { config = try AlembicConfig(ini: ini, pyproject: pyproject) } catch { throw .config(error) }
        guard config.hasIniSection || config.hasToolAlembic else {
            let what = named.lastPathComponent == "pyproject.toml" ? "has no [tool.alembic] table" : "has no [alembic] section"
            throw .config(ConfigIssue(file: named.path, key: origin.rawValue, problem: what, fix: "name the file that holds your Alembic settings"))
        }
        return try locations(config, origin: origin, cwd: cwd)
    }

    /// The folders a configuration names that exist (Alembic skips the others), subfolders added
    /// under `recursive_version_locations`, each once.
    static func locations(_ config: AlembicConfig, origin: Origin, cwd: URL) throws(VejaMigrateError) -> VersionLocations {
        let read: (locations: [(url: URL, origin: AlembicConfig.Origin)], recursive: Bool)
        do { read = try config.versionLocations() } catch { throw .config(error) }
        var seen = Set<String>()
        var directories: [VersionsDirectory] = []
        func add(_ url: URL) {
            if seen.insert(url.resolvingSymlinksInPath().path).inserted { directories.append(VersionsDirectory(url: url)) }
        }
        for location in read.locations where VersionsDirectory.isDirectory(location.url) {
            add(location.url)
            if read.recursive { for sub in subfolders(of: location.url) { add(sub) } }
        }
        let files = [config.ini, config.pyproject].compactMap { $0 }
        guard !directories.isEmpty else {
            let first = read.locations[0]
            let names = read.locations.map(\.url.path).joined(separator: ", ")
            throw .io(
                "\(ConfigIssue.relative(first.origin.file.path, to: cwd.path))\(first.origin.line.map { ":\($0)" } ?? ""): "
                    + "\(first.origin.key) names \(names), which does not exist; create the folder, or correct the key")
        }
        return VersionLocations(directories: directories, origin: origin, configFile: read.locations[0].origin.file, configFiles: files)
    }

    /// Every folder under `root`, depth first in sorted order, as Alembic's walk of a version
    /// location visits them; `__pycache__` folders hold no migrations.
    static func subfolders(of root: URL) -> [URL] {
        var out: [URL] = []
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
        for name in names where !name.hasSuffix("__pycache__") {
            let sub = root.appendingPathComponent(name)
            guard VersionsDirectory.isDirectory(sub) else { continue }
            out.append(sub)
            out += subfolders(of: sub)
        }
        return out
    }
}
