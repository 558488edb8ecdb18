/// One rule of `vejamigrate check`: its id, default severity, a one-line summary, its section of
/// `docs/check.md`, the function that finds it in a history, and its words.
///
/// Adding a rule is one file in the folder of its group (History, Conventions, Locks, Types,
/// Compatibility) and one line in `CheckRules.all`, plus its section in `docs/check.md`:
///
/// ```swift
/// struct DropTableRule: CheckRule {
///     let id = "drop-table"
///     let severity = CheckSeverity.info
///     let summary = "a table is dropped"
///     func findings(in context: CheckContext) -> [CheckFinding] {
///         context.upgradeChanges { m, c in
///             guard case .dropTable(let t) = c.change else { return nil }
///             return finding(m, c.line, ["table": t])
///         }
///     }
///     func words(_ d: [String: String]) -> CheckWords { ... }
/// }
/// ```
public protocol CheckRule: Sendable {
    var id: String { get }
    var severity: CheckSeverity { get }
    var summary: String { get }
    /// Rules about one change (lock rules) are checked only on the migrations in scope; rules about
    /// the whole history (heads, duplicates) look at all of it and report on the files in scope.
    func findings(in context: CheckContext) -> [CheckFinding]
    func words(_ data: [String: String]) -> CheckWords
}

extension CheckRule {
    /// The anchor of the rule's section in `docs/check.md`.
    public var docsAnchor: String { id }

    /// A finding of this rule at its default severity (settings change it later).
    func finding(_ file: String, _ line: Int, _ data: [String: String] = [:]) -> CheckFinding {
        CheckFinding(severity: severity, file: file, line: line, rule: id, data: data)
    }

    func finding(_ m: ReviewedMigration, _ line: Int, _ data: [String: String] = [:]) -> CheckFinding {
        finding(m.fileName, line, data)
    }
}

/// Every rule, in the order `docs/check.md` lists them.
public enum CheckRules {
    public static let all: [any CheckRule] = [
        // History
        FilenamePatternRule(), RevisionMismatchRule(), MultipleHeadsRule(), DuplicateSequenceRule(), DuplicateRevisionRule(),
        MissingDownRevisionRule(), RevisionCycleRule(), UnreadableFileRule(), MissingDowngradeRule(), EmptyDowngradeRule(),
        UnfinishedTemplateRule(), DowngradeMismatchRule(),
        // Conventions
        CheckConstraintNameRule(), FKWithoutIndexRule(), IdentifierTooLongRule(),
        // Locks
        NotNullWithoutDefaultRule(), VolatileDefaultRule(), IndexNotConcurrentRule(), DropIndexNotConcurrentRule(),
        ConcurrentlyInTransactionRule(), BlockingUniqueConstraintRule(), ForeignKeyNotValidRule(), CheckNotValidRule(),
        SetNotNullRule(), ColumnTypeRewriteRule(), BackfillInTransactionRule(), ManualTransactionRule(), UnparsableSQLRule(),
        // Compatibility
        DropColumnRule(), DropTableRule(), RenameColumnRule(), RenameTableRule(), DropNotNullRule(),
        // Types
        PreferTimestamptzRule(), PreferBigintRule(), PreferJSONBRule(), PreferTextRule(), CharColumnRule(),
        // Suppression
        UnusedIgnoreRule(),
    ]

    private static let byID: [String: any CheckRule] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// The rule with that id.
    public static func rule(_ id: String) -> (any CheckRule)? { byID[id] }

    /// Every id, for settings and ignore comments to be checked against.
    public static var ids: [String] { all.map(\.id) }
}
