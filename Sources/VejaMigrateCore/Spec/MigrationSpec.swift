import Foundation

/// A migration described as data: what `vejamigrate new --spec` reads and what the wizard builds.
public struct MigrationSpec: Equatable, Sendable {
    /// The one-line description: the docstring's first line and the file name's slug.
    public var description: String?
    /// Optional extended description, written after `Create Date:`.
    public var details: String?
    /// The operations, applied in order by `upgrade()` and undone in reverse by `downgrade()`.
    public var operations: [MigrationOperation]
    /// Whether the spec wrote its operations as an `operations` list, so field paths say `operations[i]`.
    public var operationsListed = false

    public init(description: String? = nil, details: String? = nil, operations: [MigrationOperation] = []) {
        self.description = description
        self.details = details
        self.operations = operations
    }
}

/// One schema change.
public enum MigrationOperation: Equatable, Sendable {
    case createTable(CreateTable)

    /// The spec key that names this operation.
    public var key: String {
        switch self {
        case .createTable: return "create_table"
        }
    }
}

/// `create_table`: a new table with its columns, constraints and indexes.
public struct CreateTable: Equatable, Sendable {
    public var name: String
    /// Adds `created_at` and `updated_at`, not null, default now.
    public var timestamps: Bool
    public var columns: [Column]
    public var indexes: [Index]

    public init(name: String, timestamps: Bool = false, columns: [Column] = [], indexes: [Index] = []) {
        self.name = name
        self.timestamps = timestamps
        self.columns = columns
        self.indexes = indexes
    }
}

/// A column type of the spec and the SQLAlchemy / PostgreSQL types it renders.
public enum ColumnType: String, CaseIterable, Sendable {
    case uuid, string, text, integer, bigint, smallint, numeric, float, boolean, date, datetime, jsonb, json

    /// Common names people type for these types, for the "did you mean" hint.
    static let synonyms: [String: ColumnType] = [
        "varchar": .string, "str": .string, "char": .string, "int": .integer, "int4": .integer, "int8": .bigint,
        "int2": .smallint, "long": .bigint, "decimal": .numeric, "double": .float, "real": .float, "bool": .boolean,
        "timestamp": .datetime, "timestamptz": .datetime, "time": .datetime, "dict": .jsonb, "object": .jsonb,
    ]

    /// Whether values are text, so an enum CHECK constraint applies.
    public var isTextual: Bool { self == .string || self == .text }
    public var isNumeric: Bool { [.integer, .bigint, .smallint, .numeric, .float].contains(self) }
    public var isInteger: Bool { [.integer, .bigint, .smallint].contains(self) }
    public var isJSON: Bool { self == .json || self == .jsonb }
}

/// A column of `create_table` (and later `add_columns`).
public struct Column: Equatable, Sendable {
    public var name: String
    public var type: ColumnType
    /// `string` only; 255 when absent.
    public var length: Int?
    /// `numeric` only.
    public var precision: Int?
    public var scale: Int?
    /// nil means the default: true, false for a primary key.
    public var nullable: Bool?
    public var primaryKey: Bool
    public var unique: Bool
    public var index: Bool
    /// Allowed values: a CHECK constraint named `chk_<table>_<column>`.
    public var enumValues: [String]?
    public var defaultValue: ColumnDefault?
    public var foreignKey: ForeignKey?

    public init(
        name: String, type: ColumnType, length: Int? = nil, precision: Int? = nil, scale: Int? = nil,
        nullable: Bool? = nil, primaryKey: Bool = false, unique: Bool = false, index: Bool = false,
        enumValues: [String]? = nil, defaultValue: ColumnDefault? = nil, foreignKey: ForeignKey? = nil
    ) {
        self.name = name
        self.type = type
        self.length = length
        self.precision = precision
        self.scale = scale
        self.nullable = nullable
        self.primaryKey = primaryKey
        self.unique = unique
        self.index = index
        self.enumValues = enumValues
        self.defaultValue = defaultValue
        self.foreignKey = foreignKey
    }

    /// Whether the column accepts NULL once defaults are applied.
    public var isNullable: Bool { nullable ?? !primaryKey }
}

/// A column's server default.
public enum ColumnDefault: Equatable, Sendable {
    /// `"now"`: `now()` on a datetime, `CURRENT_DATE` on a date.
    case now
    case string(String)
    case bool(Bool)
    case int(Int)
    /// A number with a fraction (or too large for Int), every digit kept.
    case decimal(Decimal)
    /// An object or array for a json/jsonb column.
    case json(JSONValue)
    /// `{"sql": "EXPR"}`: any SQL expression, checked by the PostgreSQL grammar, written as `sa.text("EXPR")`.
    case sql(String)
}

/// `ON DELETE` actions.
public enum OnDelete: String, CaseIterable, Sendable {
    case cascade = "CASCADE"
    case setNull = "SET NULL"
    case restrict = "RESTRICT"
    case noAction = "NO ACTION"
    case setDefault = "SET DEFAULT"
}

/// A column's reference to another table's column.
public struct ForeignKey: Equatable, Sendable {
    public var table: String
    public var column: String
    public var onDelete: OnDelete?

    public init(table: String, column: String = "id", onDelete: OnDelete? = nil) {
        self.table = table
        self.column = column
        self.onDelete = onDelete
    }
}

/// An extra index from the `indexes` list.
public struct Index: Equatable, Sendable {
    public var columns: [String]
    public var unique: Bool

    public init(columns: [String], unique: Bool = false) {
        self.columns = columns
        self.unique = unique
    }
}
