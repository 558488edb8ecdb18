import Foundation

/// The project's own settings that change what vejamigrate writes and checks, read once per run
/// (docs/configuration.md):
///
/// - the line length, from ruff's configuration as ruff finds it for a file in the versions
///   directory: the nearest of `.ruff.toml`, `ruff.toml` or a `pyproject.toml` with `[tool.ruff]`,
///   from that folder upwards, following `extend`;
/// - `[tool.vejamigrate]` in the nearest `pyproject.toml` that has it: `safe`, and `check`'s
///   `disable` and `severity`, kept as raw values for `check` to interpret.
public struct ProjectSettings: Equatable, Sendable {
    /// The width generated files are laid out in.
    public var lineLength = MigrationRenderer.defaultLineLength
    /// The ruff configuration file the line length came from; nil when there is none (120).
    public var ruffConfig: URL?
    /// Whether changes are lock-safe when neither the spec nor the operation says.
    public var safe = true
    /// `[tool.vejamigrate.check] disable`: rule ids, as written.
    public var checkDisable: [String] = []
    /// `[tool.vejamigrate.check] severity`: rule id to severity name, as written.
    public var checkSeverity: [String: String] = [:]
    /// The pyproject.toml that holds `[tool.vejamigrate]`; nil when none does.
    public var settingsFile: URL?
    /// What was read but not understood (unknown keys): print, and go on.
    public var warnings: [ConfigIssue] = []

    public init() {}

    /// ruff's default line length, used when a ruff configuration is found that does not set one:
    /// that is what `ruff format` would then use.
    public static let ruffDefaultLineLength = 88
    /// ruff refuses a `line-length` outside 1...320.
    public static let ruffLineLengthRange = 1...320

    /// The keys `[tool.vejamigrate]` knows; any other is a warning.
    static let knownKeys: Set<String> = ["safe", "check"]
    static let knownCheckKeys: Set<String> = ["disable", "severity"]

    /// The settings for a history in `directory`: searched from there upwards.
    public static func load(for directory: URL) throws(ConfigIssue) -> ProjectSettings {
        var settings = ProjectSettings()
        var files = TOMLFiles()
        var ruffDone = false, ownDone = false
        var folder = directory.standardizedFileURL
        while !(ruffDone && ownDone) {
            if !ruffDone, let (file, length) = try ruffLineLength(in: folder, &files) {
                settings.ruffConfig = file
                settings.lineLength = length
                ruffDone = true
            }
            if !ownDone {
                let pyproject = folder.appendingPathComponent("pyproject.toml")
                if AlembicConfig.exists(pyproject), let table = try files.table(["tool", "vejamigrate"], in: pyproject) {
                    try settings.read(table, file: pyproject)
                    ownDone = true
                }
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        return settings
    }

    /// The settings of `locations`: from the primary folder's configuration.
    public static func load(for locations: VersionLocations) throws(ConfigIssue) -> ProjectSettings {
        try load(for: locations.primary.url)
    }

    // MARK: ruff

    /// ruff's file in `folder`, in ruff's order of precedence, and the line length it gives.
    static func ruffLineLength(in folder: URL, _ files: inout TOMLFiles) throws(ConfigIssue) -> (URL, Int)? {
        for name in [".ruff.toml", "ruff.toml"] {
            let file = folder.appendingPathComponent(name)
            if AlembicConfig.exists(file) { return (file, try lineLength(of: file, path: [], depth: 0, &files)) }
        }
        let pyproject = folder.appendingPathComponent("pyproject.toml")
        if AlembicConfig.exists(pyproject), try files.table(["tool", "ruff"], in: pyproject) != nil {
            return (pyproject, try lineLength(of: pyproject, path: ["tool", "ruff"], depth: 0, &files))
        }
        return nil
    }

    /// `line-length` of a ruff configuration (at `path` inside the file), else of the file it
    /// `extend`s (relative to it, `~` expanded), else ruff's default.
    static func lineLength(of file: URL, path: [String], depth: Int, _ files: inout TOMLFiles) throws(ConfigIssue) -> Int {
        let prefix = path.isEmpty ? "" : path.joined(separator: ".") + "."
        guard let root = try files.table(path, in: file) else { return ruffDefaultLineLength }
        if let node = root["line-length"] {
            guard case .integer(let n) = node, ruffLineLengthRange.contains(n) else {
                let shown: String
                if case .integer(let n) = node { shown = String(n) } else { shown = node.typeName }
                throw ConfigIssue(file: file.path, key: prefix + "line-length", problem: "is \(shown), not a line length ruff accepts", fix: "write an integer from 1 to 320, e.g. line-length = 120")
            }
            return n
        }
        if let node = root["extend"] {
            guard case .string(let target) = node else {
                throw ConfigIssue(file: file.path, key: prefix + "extend", problem: "is \(node.typeName), not a path", fix: "write the path of the configuration it extends as a string")
            }
            guard depth < 16 else {
                throw ConfigIssue(file: file.path, key: prefix + "extend", problem: "extends a chain deeper than 16 files (a cycle?)", fix: "check where each file's extend points")
            }
            let expanded = target.hasPrefix("~") ? NSString(string: target).expandingTildeInPath : target
            let next = URL(fileURLWithPath: expanded, relativeTo: file.deletingLastPathComponent()).standardizedFileURL
            guard AlembicConfig.exists(next) else {
                throw ConfigIssue(file: file.path, key: prefix + "extend", problem: "names \(next.path), which does not exist", fix: "correct the path (it is relative to this file)")
            }
            return try lineLength(of: next, path: next.lastPathComponent == "pyproject.toml" ? ["tool", "ruff"] : [], depth: depth + 1, &files)
        }
        return ruffDefaultLineLength
    }

    // MARK: [tool.vejamigrate]

    mutating func read(_ table: [String: TOMLNode], file: URL) throws(ConfigIssue) {
        settingsFile = file
        func issue(_ key: String, _ problem: String, _ fix: String) -> ConfigIssue {
            ConfigIssue(file: file.path, key: "tool.vejamigrate." + key, problem: problem, fix: fix)
        }
        for key in table.keys.sorted() where !ProjectSettings.knownKeys.contains(key) {
            warnings.append(issue(key, "is not a setting of vejamigrate, so it is ignored", "remove it, or use one of: " + ProjectSettings.knownKeys.sorted().joined(separator: ", ")))
        }
        if let node = table["safe"] {
            guard case .bool(let b) = node else {
                throw issue("safe", "is \(node.typeName), not a boolean", "write safe = true or safe = false")
            }
            safe = b
        }
        guard let node = table["check"] else { return }
        guard case .table(let check) = node else {
            throw issue("check", "is \(node.typeName), not a table", "write it as a [tool.vejamigrate.check] table")
        }
        for key in check.keys.sorted() where !ProjectSettings.knownCheckKeys.contains(key) {
            warnings.append(issue("check." + key, "is not a setting of check, so it is ignored", "remove it, or use one of: " + ProjectSettings.knownCheckKeys.sorted().joined(separator: ", ")))
        }
        if let node = check["disable"] {
            guard case .array(let items) = node else {
                throw issue("check.disable", "is \(node.typeName), not a list", "write a list of rule ids, e.g. disable = [\"fk-without-index\"]")
            }
            for (i, item) in items.enumerated() {
                guard case .string(let s) = item else {
                    throw issue("check.disable[\(i)]", "is \(item.typeName), not a rule id", "write each rule id as a quoted string")
                }
                checkDisable.append(s)
            }
        }
        if let node = check["severity"] {
            guard case .table(let map) = node else {
                throw issue("check.severity", "is \(node.typeName), not a table", "write it as severity = { \"rule-id\" = \"INFO\" }")
            }
            for (rule, value) in map {
                guard case .string(let s) = value else {
                    throw issue("check.severity.\(rule)", "is \(value.typeName), not a severity", "write one of \"CRITICAL\", \"WARNING\", \"INFO\" in quotes")
                }
                checkSeverity[rule] = s
            }
        }
    }
}

/// The TOML files one `ProjectSettings.load` reads, each parsed once (a pyproject.toml is asked
/// for `[tool.ruff]` and for `[tool.vejamigrate]`).
struct TOMLFiles {
    private var roots: [String: TOMLNode] = [:]

    /// The table at `path` of a TOML file (the root for `[]`), nil when it is not there.
    mutating func table(_ path: [String], in file: URL) throws(ConfigIssue) -> [String: TOMLNode]? {
        let root: TOMLNode
        if let known = roots[file.path] {
            root = known
        } else {
            root = try TOMLDocument.parse(try AlembicConfig.text(of: file), file: file.path)
            roots[file.path] = root
        }
        switch root[path] {
        case .table(let t)?: return t
        case nil: return nil
        case let other?:
            throw ConfigIssue(file: file.path, key: path.joined(separator: "."), problem: "is \(other.typeName), not a table", fix: "write it as a [\(path.joined(separator: "."))] table")
        }
    }
}
