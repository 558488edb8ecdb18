import Foundation

/// Something wrong in the project's configuration (`alembic.ini`, `pyproject.toml`, `ruff.toml`):
/// the file, the key, what is wrong and the fix. As an error it stops the command with exit 2 (the
/// command cannot be set up as asked); as a warning (an unknown key) it is printed and the run goes on.
public struct ConfigIssue: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file, as an absolute path; `shown(cwd:)` makes it relative for messages.
    public var file: String
    /// The line, when the reader knows it.
    public var line: Int?
    /// The key as the file spells it: `[alembic] script_location`, `tool.vejamigrate.safe`; nil for the whole file.
    public var key: String?
    public var problem: String
    public var fix: String

    public init(file: String, line: Int? = nil, key: String? = nil, problem: String, fix: String) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
        self.fix = fix
    }

    /// `FILE[:LINE]: KEY: problem; fix`, without the `error:`/`warning:` word.
    public var description: String {
        file + (line.map { ":\($0)" } ?? "") + ": " + (key.map { $0 + ": " } ?? "") + problem + "; " + fix
    }

    /// The same with the file relative to `cwd` when it is inside it.
    public func shown(cwd: String) -> String {
        var copy = self
        copy.file = ConfigIssue.relative(file, to: cwd)
        return copy.description
    }

    /// The issue with its file relative to `cwd` when inside it.
    public func relative(to cwd: URL) -> ConfigIssue {
        var copy = self
        copy.file = ConfigIssue.relative(file, to: cwd.standardizedFileURL.path)
        return copy
    }

    static func relative(_ path: String, to base: String) -> String {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
