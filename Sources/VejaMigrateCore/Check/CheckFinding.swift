/// How much a finding matters: CRITICAL fails `vejamigrate check` (exit 1), WARNING and INFO do not.
public enum CheckSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case critical = "CRITICAL"
    case warning = "WARNING"
    case info = "INFO"

    private var rank: Int {
        switch self {
        case .critical: 0
        case .warning: 1
        case .info: 2
        }
    }

    /// CRITICAL sorts first.
    public static func < (a: CheckSeverity, b: CheckSeverity) -> Bool { a.rank < b.rank }
}

/// One thing `check` found: where (file and line), which rule, and the data the rule's words are
/// made from. The words (`message`, `fix`) come from the rule itself, so every front end says the same.
///
/// ```swift
/// for finding in CheckRun(history: history).findings {
///     print("\(finding.file):\(finding.line): \(finding.severity.rawValue) [\(finding.rule)] \(finding.message)")
/// }
/// ```
public struct CheckFinding: Equatable, Sendable {
    public var severity: CheckSeverity
    /// The migration's file name (as the history names it).
    public var file: String
    /// 1-based; the `def` or the first line when the finding is about the whole file.
    public var line: Int
    /// The rule's id, as an ignore comment and the settings name it.
    public var rule: String
    /// What the rule found, by name: `table`, `column`, `name`, ... (each rule documents its own).
    public var data: [String: String]

    public init(severity: CheckSeverity, file: String, line: Int, rule: String, data: [String: String] = [:]) {
        self.severity = severity
        self.file = file
        self.line = line
        self.rule = rule
        self.data = data
    }

    /// The rule's words for this finding, made once: what is wrong and the fix (the rule id and no
    /// fix for a rule that is not known).
    public var words: CheckWords { CheckRules.rule(rule)?.words(data) ?? CheckWords(rule, fix: "") }
    /// What is wrong, in words (from the rule).
    public var message: String { words.message }
    /// What to do about it, in Alembic's form where there is one (from the rule).
    public var fix: String { words.fix }
}

/// A rule's words for one finding.
public struct CheckWords: Equatable, Sendable {
    public var message: String
    public var fix: String

    public init(_ message: String, fix: String) {
        self.message = message
        self.fix = fix
    }
}
