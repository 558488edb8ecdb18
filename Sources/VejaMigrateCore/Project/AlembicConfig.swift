import Foundation

/// A project's Alembic configuration: `alembic.ini` (`[alembic]`), `[tool.alembic]` in
/// `pyproject.toml`, or both, read with Alembic's own rules (`alembic/config.py`, 1.16 and later):
/// an option set in the ini file wins over the same option in pyproject.toml; `%(here)s` is the
/// folder of the file the value comes from.
///
/// One difference, on purpose: Alembic resolves a relative `script_location` or version location
/// against the directory it is run from; vejamigrate resolves it against the folder of the file
/// that holds it, which is the same thing when Alembic is run where its configuration is (as it
/// must be, for it to find `alembic.ini`), and also works from the top of the repository.
public struct AlembicConfig: Sendable {
    /// The `alembic.ini` read, when there is one.
    public let ini: URL?
    /// The `pyproject.toml` read for `[tool.alembic]`, when there is one.
    public let pyproject: URL?
    /// The ini section (Alembic's `-n/--name`; always `alembic` here).
    public let section = "alembic"

    private let iniFile: IniFile?
    private let toolAlembic: [String: TOMLNode]?

    /// Reads the files that exist of the two (a missing one counts as empty, as in Alembic).
    public init(ini: URL?, pyproject: URL?) throws(ConfigIssue) {
        let ini = ini.flatMap { AlembicConfig.exists($0) ? $0.standardizedFileURL : nil }
        let pyproject = pyproject.flatMap { AlembicConfig.exists($0) ? $0.standardizedFileURL : nil }
        self.ini = ini
        self.pyproject = pyproject
        if let ini {
            let text = try AlembicConfig.text(of: ini)
            do {
                iniFile = try IniFile(text: text, defaults: ["here": ini.deletingLastPathComponent().path])
            } catch {
                throw ConfigIssue(file: ini.path, line: error.line, problem: error.problem, fix: "correct the line as Python's configparser (which Alembic uses) reads it")
            }
        } else {
            iniFile = nil
        }
        if let pyproject {
            let root = try TOMLDocument.parse(try AlembicConfig.text(of: pyproject), file: pyproject.path)
            switch root[["tool", "alembic"]] {
            case nil: toolAlembic = nil
            case .table(let t)?: toolAlembic = t
            case let other?:
                throw ConfigIssue(file: pyproject.path, key: "tool.alembic", problem: "is \(other.typeName), not a table", fix: "write it as a [tool.alembic] table")
            }
        } else {
            toolAlembic = nil
        }
    }

    /// Whether the ini file has `[alembic]`.
    public var hasIniSection: Bool { iniFile?.hasSection(section) ?? false }
    /// Whether pyproject.toml has `[tool.alembic]`.
    public var hasToolAlembic: Bool { toolAlembic != nil }

    /// Where an option's value came from, for messages: `alembic.ini [alembic] script_location`.
    public struct Origin: Equatable, Sendable {
        public var file: URL
        public var line: Int?
        public var key: String
    }

    /// A string option (`get_alembic_option`): from the ini file when it sets it, else from
    /// `[tool.alembic]`, `%(here)s` interpolated in both; nil when neither sets it.
    func string(_ name: String) throws(ConfigIssue) -> (value: String, origin: Origin)? {
        if let ini, let file = iniFile, let entry = file.option(name, in: section), file.hasSection(section) {
            let origin = Origin(file: ini, line: entry.line, key: "[\(section)] \(name)")
            do {
                return (try file.value(name, in: section) ?? "", origin)
            } catch {
                throw ConfigIssue(file: ini.path, line: error.line, key: origin.key, problem: error.problem, fix: "write %(here)s for the file's folder, %% for a percent sign")
            }
        }
        guard let pyproject, let node = toolAlembic?[name] else { return nil }
        let origin = Origin(file: pyproject, key: "tool.alembic.\(name)")
        guard case .string(let s) = node else {
            throw issue(origin, "is \(node.typeName), not a string", "write it as a quoted string, e.g. \(name) = \"%(here)s/migrations\"")
        }
        return (try formatted(s, origin), origin)
    }

    /// Python's `value % {"here": ...}`, which Alembic applies to pyproject.toml's strings.
    private func formatted(_ s: String, _ origin: Origin) throws(ConfigIssue) -> String {
        var out = ""
        var rest = Substring(s)
        let here = origin.file.deletingLastPathComponent().path
        while let p = rest.firstIndex(of: "%") {
            out += rest[..<p]
            rest = rest[p...]
            if rest.hasPrefix("%%") {
                out += "%"
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("%(here)s") {
                out += here
                rest = rest.dropFirst("%(here)s".count)
            } else {
                throw issue(origin, "has a '%' that is neither %(here)s nor %%", "write %(here)s for the file's folder, %% for a percent sign")
            }
        }
        return out + rest
    }

    private func issue(_ origin: Origin, _ problem: String, _ fix: String) -> ConfigIssue {
        ConfigIssue(file: origin.file.path, line: origin.line, key: origin.key, problem: problem, fix: fix)
    }

    /// The folders Alembic reads migrations from, as written (absolute), each with its origin,
    /// and whether it also reads their subfolders (`recursive_version_locations`).
    public func versionLocations() throws(ConfigIssue) -> (locations: [(url: URL, origin: Origin)], recursive: Bool) {
        guard let (script, scriptOrigin) = try string("script_location") else {
            let file = ini ?? pyproject!
            let key = ini != nil ? "[\(section)] script_location" : "tool.alembic.script_location"
            throw ConfigIssue(
                file: file.path, key: key, problem: "is missing (Alembic needs it)",
                fix: ini != nil ? "add `script_location = %(here)s/migrations` (your migrations folder) under [\(section)]" : "add script_location = \"%(here)s/migrations\" (your migrations folder) under [tool.alembic]")
        }
        let scriptURL = try path(script, scriptOrigin)
        var locations: [(URL, Origin)] = []
        for (value, origin) in try versionLocationList() {
            locations.append((try path(value, origin), origin))
        }
        if locations.isEmpty { locations = [(scriptURL.appendingPathComponent("versions"), scriptOrigin)] }
        return (locations, try recursive())
    }

    /// `get_version_locations_list`: the ini value split by `path_separator` (or the legacy
    /// `version_path_separator`, or without either Alembic's old split on spaces and commas), else
    /// pyproject.toml's list.
    func versionLocationList() throws(ConfigIssue) -> [(String, Origin)] {
        if let file = iniFile, file.hasSection(section), file.option("version_locations", in: section) != nil,
           let (raw, origin) = try string("version_locations"), !raw.isEmpty {
            let parts: [String]
            if let separator = try separator() {
                parts = raw.split(separator: separator, omittingEmptySubsequences: true).map { $0.trimmingPythonWhitespace() }
            } else {
                // re.split(r", *|(?: +)", value)
                parts = AlembicConfig.legacySplit(raw)
            }
            return parts.filter { !$0.isEmpty }.map { ($0, origin) }
        }
        guard let pyproject, let node = toolAlembic?["version_locations"] else { return [] }
        let origin = Origin(file: pyproject, key: "tool.alembic.version_locations")
        guard case .array(let items) = node else {
            throw issue(origin, "is \(node.typeName), not a list", "write a list of folders, e.g. version_locations = [\"%(here)s/migrations/versions\"]")
        }
        var out: [(String, Origin)] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else {
                throw issue(Origin(file: pyproject, key: "tool.alembic.version_locations[\(i)]"), "is \(item.typeName), not a string", "write each folder as a quoted string")
            }
            out.append((try formatted(s, origin), origin))
        }
        return out
    }

    /// `_get_file_separator_char("path_separator", "version_path_separator")`, read from the ini file only, as Alembic does.
    func separator() throws(ConfigIssue) -> Character? {
        for name in ["path_separator", "version_path_separator"] {
            guard let file = iniFile, let ini, file.option(name, in: section) != nil else { continue }
            let value: String
            do { value = try file.value(name, in: section) ?? "" } catch {
                throw ConfigIssue(file: ini.path, line: error.line, key: "[\(section)] \(name)", problem: error.problem, fix: "use one of: os, space, newline, :, ;")
            }
            switch value {
            case "space": return " "
            case "newline": return "\n"
            case "os", ":": return ":"
            case ";": return ";"
            default:
                throw ConfigIssue(
                    file: ini.path, line: file.option(name, in: section)?.line, key: "[\(section)] \(name)",
                    problem: "\"\(value)\" is not a separator Alembic knows", fix: "use one of: os, space, newline, :, ;")
            }
        }
        return nil
    }

    static func legacySplit(_ s: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var chars = Substring(s)
        while let c = chars.first {
            if c == "," {
                parts.append(current)
                current = ""
                chars = chars.dropFirst().drop { $0 == " " }
            } else if c == " " {
                parts.append(current)
                current = ""
                chars = chars.drop { $0 == " " }
            } else {
                current.append(c)
                chars = chars.dropFirst()
            }
        }
        parts.append(current)
        return parts
    }

    /// `get_alembic_boolean_option("recursive_version_locations")`: in the ini file exactly
    /// `true` is true; in pyproject.toml it must be a boolean.
    func recursive() throws(ConfigIssue) -> Bool {
        let name = "recursive_version_locations"
        if iniFile?.hasSection(section) == true, iniFile?.option(name, in: section) != nil, let (value, _) = try string(name) {
            return value == "true"
        }
        guard let pyproject, let node = toolAlembic?[name] else { return false }
        guard case .bool(let b) = node else {
            throw issue(Origin(file: pyproject, key: "tool.alembic.\(name)"), "is \(node.typeName), not a boolean", "write \(name) = true or false")
        }
        return b
    }

    /// A folder as Alembic names it: a path (relative to the file it is written in), or a package
    /// resource (`myapp:migrations`), which vejamigrate cannot resolve without importing the package.
    func path(_ value: String, _ origin: Origin) throws(ConfigIssue) -> URL {
        if !value.hasPrefix("/"), value.contains(":") {
            throw issue(
                origin, "\"\(value)\" is a package resource (package:folder), which vejamigrate cannot resolve without Python",
                "write the folder's path instead, e.g. %(here)s/\(value.split(separator: ":").last.map(String.init) ?? "migrations"), or pass --versions-dir DIR")
        }
        let expanded = value.hasPrefix("~/") ? NSString(string: value).expandingTildeInPath : value
        return URL(fileURLWithPath: expanded, relativeTo: origin.file.deletingLastPathComponent()).standardizedFileURL
    }

    static func exists(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && !isDir.boolValue
    }

    static func text(of url: URL) throws(ConfigIssue) -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigIssue(file: url.path, problem: "cannot be read", fix: "check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigIssue(file: url.path, problem: "is not UTF-8 text", fix: "save it as UTF-8")
        }
        return text
    }
}
