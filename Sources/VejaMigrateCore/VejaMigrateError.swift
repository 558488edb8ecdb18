/// Everything that stops a command, each with the exit code the contract gives it.
public enum VejaMigrateError: Error, Equatable, Sendable {
    /// Invalid input (spec, description, answers): exit 1.
    case invalidInput([SpecIssue])
    /// The history has problems that stop this command: exit 3.
    case history(String)
    /// An I/O error (file exists, permission denied, disk full): exit 4.
    case io(String)
    /// The project's configuration cannot be honoured (a package resource, a wrong type, a file
    /// `-c` names that is not there): exit 2, as a usage error.
    case config(ConfigIssue)

    /// The process exit code for this error.
    public var exitCode: Int32 {
        switch self {
        case .invalidInput: return 1
        case .history: return 3
        case .io: return 4
        case .config: return 2
        }
    }

    /// The message for standard error, one problem a line.
    public var message: String {
        switch self {
        case .invalidInput(let issues): return issues.map(\.description).joined(separator: "\n")
        case .history(let text): return text
        case .io(let text): return text
        case .config(let issue): return "error: " + issue.description
        }
    }
}

/// One thing wrong with a spec or an answer: the field, what is wrong, and how to fix it.
public struct SpecIssue: Equatable, Sendable, CustomStringConvertible {
    /// A path into the spec, e.g. `create_table.columns[2].length`.
    public var field: String
    public var problem: String
    public var fix: String

    public init(field: String, problem: String, fix: String) {
        self.field = field
        self.problem = problem
        self.fix = fix
    }

    public var description: String { "error: \(field): \(problem); \(fix)" }

    /// The same, as a warning: `warning: <field>: <problem>; <fix>`.
    public var warningDescription: String { "warning: \(field): \(problem); \(fix)" }
}
