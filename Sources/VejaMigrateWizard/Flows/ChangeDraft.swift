import VejaMigrateCore

/// The fields of the change step that the operation flows share: one key per field, so text input,
/// completion and problems find their field the same way in every flow.
public enum ChangeKey: Hashable, Sendable {
    case table, column, to, columns
    /// One value of `alter_enum`'s list; an emptied one is removed.
    case value(Int)
    case addValue
    /// Where the rows holding a removed value go (`alter_enum`'s `map`).
    case mapTarget(String)
    case enumDefault
    case nullable, backfill, type, length, defaultMode, defaultValue
    case unique, predicate
    /// A constraint or index name (`drop_index`, `drop_constraint`, `add_check` over several columns).
    case name
    case expression
    case referencesTable, referencesColumn, onDelete
    /// This operation's lock-safe forms (off writes its `"safe": false`).
    case safe
}

/// What `alter_column` does with one property: leave it, or change it.
public enum AlterNullability: Int, CaseIterable, Sendable, Codable {
    case keep, nullable, notNull
    var title: String { ["keep", "NULL allowed", "NOT NULL"][rawValue] }
}

public enum AlterDefault: Int, CaseIterable, Sendable, Codable {
    case keep, set, drop
    var title: String { ["keep", "set", "drop"][rawValue] }
}

/// An operation on an existing table as typed: text stays text until the spec is built.
public struct ChangeDraft: Equatable, Sendable, Codable {
    public var table = ""
    public var column = ""
    public var to = ""
    /// Comma-separated column names (`drop_columns`, `create_index`).
    public var columns = ""
    /// `alter_enum`: the list being edited, and the column it was read from (`table.column`).
    public var values: [String] = []
    public var valuesReadFrom: String?
    public var map: [String: String] = [:]
    public var enumDefault = ""
    public var nullable: AlterNullability = .keep
    public var backfill = ""
    /// `alter_column`: nil keeps the type.
    public var type: ColumnType?
    public var length = ""
    public var defaultMode: AlterDefault = .keep
    public var defaultValue = ""
    public var unique = false
    public var predicate = ""
    public var name = ""
    public var expression = ""
    public var referencesTable = ""
    public var referencesColumn = "id"
    public var onDelete: OnDelete?
    /// Whether this operation is written in its lock-safe forms (off: `"safe": false` on it).
    public var safe = true

    public init() {}

    /// The text of a text field.
    func text(_ key: ChangeKey) -> String {
        switch key {
        case .table: return table
        case .column: return column
        case .to: return to
        case .columns: return columns
        case .value(let i): return i < values.count ? values[i] : ""
        case .mapTarget(let v): return map[v] ?? ""
        case .enumDefault: return enumDefault
        case .backfill: return backfill
        case .length: return length
        case .defaultValue: return defaultValue
        case .predicate: return predicate
        case .name: return name
        case .expression: return expression
        case .referencesTable: return referencesTable
        case .referencesColumn: return referencesColumn
        default: return ""
        }
    }

    mutating func setText(_ key: ChangeKey, _ text: String) {
        switch key {
        case .table: table = text
        case .column: column = text
        case .to: to = text
        case .columns: columns = text
        case .value(let i): if i < values.count { values[i] = text }
        case .mapTarget(let v): map[v] = text
        case .enumDefault: enumDefault = text
        case .backfill: backfill = text
        case .length: length = text
        case .defaultValue: defaultValue = text
        case .predicate: predicate = text
        case .name: name = text
        case .expression: expression = text
        case .referencesTable: referencesTable = text
        case .referencesColumn: referencesColumn = text
        default: break
        }
    }

    /// Names typed as a comma-separated list, empty entries dropped.
    static func names(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
    }
}

/// One operation as typed, kept whole when the user adds another one.
public struct OperationDraft: Equatable, Sendable, Codable {
    public var operation: OperationChoice
    public var table: TableDraft
    public var change: ChangeDraft
}
