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
    /// `"safe"` at the top: whether changes to tables that existed before are lock-safe (default true).
    public var safe: Bool?

    public init(description: String? = nil, details: String? = nil, operations: [MigrationOperation] = []) {
        self.description = description
        self.details = details
        self.operations = operations
    }
}

/// One schema change.
public enum MigrationOperation: Equatable, Sendable {
    case createTable(CreateTable)
    case addColumns(AddColumns)
    case dropColumns(DropColumns)
    case renameColumn(RenameColumn)
    case alterColumn(AlterColumn)
    case alterEnum(AlterEnum)
    case addCheck(AddCheck)
    case createIndex(CreateIndex)
    case dropIndex(DropIndex)
    case addForeignKey(AddForeignKey)
    case dropConstraint(DropConstraint)
    case renameTable(RenameTable)
    case dropTable(DropTable)

    /// The spec keys of the operations, in the order the docs list them.
    public static let keys = [
        "create_table", "add_columns", "drop_columns", "rename_column", "alter_column", "alter_enum", "add_check", "create_index",
        "drop_index", "add_foreign_key", "drop_constraint", "rename_table", "drop_table",
    ]

    /// The spec key that names this operation.
    public var key: String {
        switch self {
        case .createTable: return "create_table"
        case .addColumns: return "add_columns"
        case .dropColumns: return "drop_columns"
        case .renameColumn: return "rename_column"
        case .alterColumn: return "alter_column"
        case .alterEnum: return "alter_enum"
        case .addCheck: return "add_check"
        case .createIndex: return "create_index"
        case .dropIndex: return "drop_index"
        case .addForeignKey: return "add_foreign_key"
        case .dropConstraint: return "drop_constraint"
        case .renameTable: return "rename_table"
        case .dropTable: return "drop_table"
        }
    }

    /// The table the operation changes (`create_table`'s new one).
    public var table: String {
        switch self {
        case .createTable(let o): return o.name
        case .addColumns(let o): return o.table
        case .dropColumns(let o): return o.table
        case .renameColumn(let o): return o.table
        case .alterColumn(let o): return o.table
        case .alterEnum(let o): return o.table
        case .addCheck(let o): return o.table
        case .createIndex(let o): return o.table
        case .dropIndex(let o): return o.table
        case .addForeignKey(let o): return o.table
        case .dropConstraint(let o): return o.table
        case .renameTable(let o): return o.table
        case .dropTable(let o): return o.table
        }
    }

    /// `"safe"` on the operation itself, when given.
    public var safe: Bool? {
        switch self {
        case .addColumns(let o): return o.safe
        case .dropColumns(let o): return o.safe
        case .alterColumn(let o): return o.safe
        case .alterEnum(let o): return o.safe
        case .addCheck(let o): return o.safe
        case .createIndex(let o): return o.safe
        case .dropIndex(let o): return o.safe
        case .addForeignKey(let o): return o.safe
        case .dropConstraint(let o): return o.safe
        case .createTable, .renameColumn, .renameTable, .dropTable: return nil
        }
    }
}

/// `add_columns`: new columns on an existing table, with the same fields and names as in `create_table`.
public struct AddColumns: Equatable, Sendable {
    public var table: String
    public var columns: [Column]
    public var safe: Bool?
    public init(table: String, columns: [Column], safe: Bool? = nil) {
        self.table = table
        self.columns = columns
        self.safe = safe
    }
}

/// `drop_columns`: columns removed; the downgrade puts them back from the history.
public struct DropColumns: Equatable, Sendable {
    public var table: String
    public var columns: [String]
    public var safe: Bool?
    public init(table: String, columns: [String], safe: Bool? = nil) {
        self.table = table
        self.columns = columns
        self.safe = safe
    }
}

public struct RenameColumn: Equatable, Sendable {
    public var table: String
    public var column: String
    public var to: String
    public init(table: String, column: String, to: String) {
        self.table = table
        self.column = column
        self.to = to
    }
}

/// A default set or dropped by `alter_column`.
public enum DefaultChange: Equatable, Sendable {
    case set(ColumnDefault)
    /// `"default": null`.
    case drop
}

/// `alter_column`: nullability (with a backfill), type, default.
public struct AlterColumn: Equatable, Sendable {
    public var table: String
    public var column: String
    public var nullable: Bool?
    /// Written into the rows holding NULL before the column becomes NOT NULL.
    public var backfill: ColumnDefault?
    public var type: ColumnType?
    public var length: Int?
    public var precision: Int?
    public var scale: Int?
    public var defaultValue: DefaultChange?
    /// How PostgreSQL converts the values for a `type` change (`USING`, Alembic's `postgresql_using`),
    /// needed where it has no automatic cast: `CAST(code AS INTEGER)`.
    public var using: String?
    public var safe: Bool?
    public init(table: String, column: String, nullable: Bool? = nil, backfill: ColumnDefault? = nil, type: ColumnType? = nil, length: Int? = nil,
                precision: Int? = nil, scale: Int? = nil, defaultValue: DefaultChange? = nil, using: String? = nil, safe: Bool? = nil) {
        self.table = table
        self.column = column
        self.nullable = nullable
        self.backfill = backfill
        self.type = type
        self.length = length
        self.precision = precision
        self.scale = scale
        self.defaultValue = defaultValue
        self.using = using
        self.safe = safe
    }
}

/// `alter_enum`: the column's CHECK `chk_<table>_<column>` with a new value list.
public struct AlterEnum: Equatable, Sendable {
    public var table: String
    public var column: String
    public var values: [String]
    public var defaultValue: String?
    /// Removed value → the value its rows get, in the spec's order.
    public var map: [MappedValue]
    public var safe: Bool?
    public init(table: String, column: String, values: [String], defaultValue: String? = nil, map: [MappedValue] = [], safe: Bool? = nil) {
        self.table = table
        self.column = column
        self.values = values
        self.defaultValue = defaultValue
        self.map = map
        self.safe = safe
    }
}

public struct MappedValue: Equatable, Sendable {
    public var from: String
    public var to: String
    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}

/// `add_check`: `chk_<table>_<column>`, or `chk_<table>_<name>` for a rule over several columns.
public struct AddCheck: Equatable, Sendable {
    public var table: String
    public var column: String?
    public var name: String?
    public var expression: String
    public var safe: Bool?
    public init(table: String, column: String? = nil, name: String? = nil, expression: String, safe: Bool? = nil) {
        self.table = table
        self.column = column
        self.name = name
        self.expression = expression
        self.safe = safe
    }

    /// The constraint's name.
    public var constraintName: String { "chk_\(table)_" + (name ?? column ?? "") }
}

/// `create_index`: `idx_<table>_<columns>` (`uniq_` when unique), optionally partial.
public struct CreateIndex: Equatable, Sendable {
    public var table: String
    public var columns: [String]
    public var unique: Bool
    public var predicate: String?
    public var name: String?
    public var safe: Bool?
    public init(table: String, columns: [String], unique: Bool = false, predicate: String? = nil, name: String? = nil, safe: Bool? = nil) {
        self.table = table
        self.columns = columns
        self.unique = unique
        self.predicate = predicate
        self.name = name
        self.safe = safe
    }

    public var indexName: String {
        name ?? (unique ? TableDefinition.uniqueName(table: table, columns: columns) : TableDefinition.indexName(table: table, columns: columns))
    }
}

public struct DropIndex: Equatable, Sendable {
    public var table: String
    public var name: String
    public var safe: Bool?
    public init(table: String, name: String, safe: Bool? = nil) {
        self.table = table
        self.name = name
        self.safe = safe
    }
}

/// `add_foreign_key`: `fk_<table>_<column>` and its index `idx_<table>_<column>`.
public struct AddForeignKey: Equatable, Sendable {
    public var table: String
    public var column: String
    public var references: ForeignKey
    public var safe: Bool?
    public init(table: String, column: String, references: ForeignKey, safe: Bool? = nil) {
        self.table = table
        self.column = column
        self.references = references
        self.safe = safe
    }
}

public struct DropConstraint: Equatable, Sendable {
    public var table: String
    public var name: String
    public var safe: Bool?
    public init(table: String, name: String, safe: Bool? = nil) {
        self.table = table
        self.name = name
        self.safe = safe
    }
}

public struct RenameTable: Equatable, Sendable {
    public var table: String
    public var to: String
    public init(table: String, to: String) {
        self.table = table
        self.to = to
    }
}

public struct DropTable: Equatable, Sendable {
    public var table: String
    public init(table: String) {
        self.table = table
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
public enum ColumnType: String, CaseIterable, Sendable, Codable {
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
public enum ColumnDefault: Equatable, Sendable, Codable {
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
public enum OnDelete: String, CaseIterable, Sendable, Codable {
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
