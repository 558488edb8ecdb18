/// The schema a migration history builds, read statically from the files: every
/// `upgrade()` replayed in revision order (see `SchemaReader`).
///
/// What could not be read is listed in `opaque`, and the tables such operations name
/// are in `rawSQL` ("touched by raw SQL"): facts about them are uncertain.
public struct HistorySchema: Equatable, Sendable {
    /// Tables by name.
    public var tables: [String: SchemaTable] = [:]
    /// Operations that were not read (raw SQL, helpers, loops), in history order.
    public var opaque: [OpaqueOperation] = []
    /// Tables named by operations that were not read, with where and how.
    public var rawSQL: [String: [RawSQLTouch]] = [:]
    /// PostgreSQL enum types (`CREATE TYPE ... AS ENUM`, `sa.Enum(..., name=)`) and their values in order.
    public var enums: [String: [String]] = [:]
    /// Things in the history that do not add up (a column dropped twice, an index on a
    /// table nobody created), as `file:line: message`.
    public var notes: [String] = []

    /// The table that owns each index name, for `drop_index` without `table_name`.
    var indexOwner: [String: String] = [:]
    /// The tables whose foreign keys may reference each table (a superset), for renames.
    var referencedBy: [String: Set<String>] = [:]

    public init() {}

    /// The names of all tables, sorted.
    public var tableNames: [String] { tables.keys.sorted() }

    /// Whether an operation vejamigrate could not read names `table`.
    public func isTouchedByRawSQL(_ table: String) -> Bool { rawSQL[table] != nil }

    /// Whether raw SQL (or an unreadable call) may have added, dropped or changed columns of `table`,
    /// or the table is only partly known.
    public func mayHaveUnknownColumns(_ table: String) -> Bool {
        if tables[table]?.partial == true { return true }
        return rawSQL[table]?.contains { $0.kind.mayChangeColumns } ?? false
    }

    /// Table names close to `name` (edit distance, shared prefix or containment), best first.
    public func closeTableNames(to name: String, limit: Int = 5) -> [String] {
        let candidates = Set(tables.keys).union(rawSQL.keys)
        return Fuzzy.closest(to: name, in: candidates, limit: limit)
    }
}

/// One table.
public struct SchemaTable: Equatable, Sendable {
    public var name: String
    /// The migration file that created it; nil when the history never created it readably.
    public var createdIn: String?
    /// Columns in table order.
    public var columns: [SchemaColumn] = []
    public var primaryKey: [String] = []
    public var primaryKeyName: String?
    public var checks: [SchemaCheck] = []
    public var uniques: [SchemaUnique] = []
    public var indexes: [SchemaIndex] = []
    public var foreignKeys: [SchemaForeignKey] = []
    /// True when the table was first seen through an operation other than a readable
    /// `create_table` (made by raw SQL, or outside the history): it may have more columns.
    public var partial = false

    public init(name: String) {
        self.name = name
    }

    public func column(_ name: String) -> SchemaColumn? {
        columns.first { $0.name == name }
    }

    func columnIndex(_ name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// Whether `columns` (in any order) are exactly the primary key, a unique constraint or a
    /// unique index: what PostgreSQL needs before a foreign key may reference them.
    public func isUniqueKey(_ columns: [String]) -> Bool {
        let set = Set(columns)
        if !primaryKey.isEmpty, Set(primaryKey) == set { return true }
        if uniques.contains(where: { Set($0.columns) == set }) { return true }
        return indexes.contains { $0.unique && Set($0.columns) == set }
    }
}

/// One column.
public struct SchemaColumn: Equatable, Sendable {
    public var name: String
    /// The SQLAlchemy type as the migration wrote it (normalised spacing), e.g. `sa.String(length=255)`;
    /// empty when the migration gave none and it could not be taken from a foreign key.
    public var type: String
    public var nullable: Bool
    /// The SQL text of the server default, e.g. `now()` or `'DRAFT'`.
    public var serverDefault: String?
    /// The database numbers new rows itself: SQLAlchemy's `SERIAL` for a table's single integer
    /// primary key (no foreign key, no default, `autoincrement` not False), or `sa.Identity()`.
    public var autoincrement: Bool
    /// The type as PostgreSQL's `format_type` names it: `character varying(32)`, `timestamp with time zone`,
    /// an enum's name; empty when it cannot be known.
    public var sqlType: String
    /// `always` or `by default` for an identity column.
    public var identity: String?

    public init(
        name: String, type: String, nullable: Bool = true, serverDefault: String? = nil, autoincrement: Bool = false,
        sqlType: String? = nil, identity: String? = nil
    ) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.serverDefault = serverDefault
        self.autoincrement = autoincrement
        self.sqlType = sqlType ?? SQLTypes.sqlType(ofSQLAlchemy: type)
        self.identity = identity
    }

    /// The broad kind of the type, for comparing a foreign key with what it references.
    public var family: TypeFamily { sqlType.isEmpty ? TypeFamily(sqlalchemyType: type) : TypeFamily(sqlType: sqlType) }
}

public struct SchemaCheck: Equatable, Sendable {
    public var name: String
    /// The SQL condition as written, e.g. `status IN ('DRAFT','ACTIVE')`.
    public var condition: String
    /// For a list of allowed values (`col IN (...)`, `col = ANY (ARRAY[...])`): the column and the values.
    public var column: String?
    public var values: [String]?
    /// False for a constraint added `NOT VALID` and not validated since.
    public var validated = true

    public init(name: String, condition: String, column: String? = nil, values: [String]? = nil, validated: Bool = true) {
        self.name = name
        self.condition = condition
        self.validated = validated
        if column == nil, values == nil, let list = CheckCondition.allowedValues(condition) {
            self.column = list.column
            self.values = list.values
        } else {
            self.column = column
            self.values = values
        }
    }
}

public struct SchemaUnique: Equatable, Sendable {
    public var name: String
    public var columns: [String]
}

public struct SchemaIndex: Equatable, Sendable {
    public var name: String
    /// Column names, or the SQL of an expression (`lower(email)`).
    public var columns: [String]
    public var unique: Bool
    /// Per key, whether it is `DESC`; empty when none is.
    public var descending: [Bool] = []
    /// The access method: `btree`, `gin`, `gist`, ...
    public var method = "btree"
    /// The `WHERE` of a partial index.
    public var predicate: String?
}

public struct SchemaForeignKey: Equatable, Sendable {
    public var name: String
    public var columns: [String]
    public var referencedTable: String
    public var referencedColumns: [String]
    public var onDelete: String?
    public var onUpdate: String?
    public var deferrable = false
    public var initiallyDeferred = false
    /// False for a key added `NOT VALID` and not validated since.
    public var validated = true
}

/// An operation in `upgrade()` that was not read.
public struct OpaqueOperation: Equatable, Sendable {
    public var file: String
    public var line: Int
    /// What it is, e.g. `op.execute`, `helper()`, `op.add_column in a loop`.
    public var what: String
    /// The tables it names (best effort).
    public var tables: [String]
    /// Why it was not read, when there is more to say than what it is (the SQL parser's message).
    public var error: String? = nil

    /// `file:line`.
    public var location: String { "\(file):\(line)" }
}

/// Where and how an unreadable operation named a table.
public struct RawSQLTouch: Equatable, Sendable {
    public var file: String
    public var line: Int
    public var kind: RawSQLKind

    public var location: String { "\(file):\(line)" }
}

/// The broad kind of a column type: a foreign key and the column it references must agree on it.
public enum TypeFamily: String, Sendable, Equatable {
    case uuid, integer, numeric, string, boolean, date, datetime, json, binary
    /// Unknown or unusual: never compared.
    case other

    /// The family of a spec type.
    public init(_ type: ColumnType) {
        switch type {
        case .uuid: self = .uuid
        case .integer, .bigint, .smallint: self = .integer
        case .numeric, .float: self = .numeric
        case .string, .text: self = .string
        case .boolean: self = .boolean
        case .date: self = .date
        case .datetime: self = .datetime
        case .json, .jsonb: self = .json
        }
    }

    /// The family of a SQLAlchemy type expression: `postgresql.UUID(as_uuid=True)`, `sa.String(64)`, `INTEGER`.
    public init(sqlalchemyType text: String) {
        var base = Substring(text)
        if let paren = base.firstIndex(of: "(") { base = base[..<paren] }
        if let dot = base.lastIndex(of: ".") { base = base[base.index(after: dot)...] }
        switch base.lowercased() {
        case "uuid", "guid": self = .uuid
        case "integer", "biginteger", "smallinteger", "int", "bigint", "smallint", "int2", "int4", "int8", "serial", "bigserial", "smallserial":
            self = .integer
        case "numeric", "decimal", "float", "real", "double", "double_precision", "money": self = .numeric
        case "string", "text", "unicode", "unicodetext", "varchar", "nvarchar", "char", "nchar", "citext", "clob", "character":
            self = .string
        case "boolean", "bool": self = .boolean
        case "date": self = .date
        case "datetime", "timestamp": self = .datetime
        case "json", "jsonb": self = .json
        case "largebinary", "bytea", "binary", "varbinary", "blob": self = .binary
        default: self = .other
        }
    }

    /// The family of a PostgreSQL type name as `format_type` gives it (`character varying(32)`, `bigint`).
    public init(sqlType: String) {
        let base = sqlType.split(separator: "(").first.map { $0.trimmed(" ") } ?? sqlType
        switch base {
        case "uuid": self = .uuid
        case "integer", "bigint", "smallint": self = .integer
        case "numeric", "real", "double precision", "money": self = .numeric
        case "character varying", "character", "text", "citext": self = .string
        case "boolean": self = .boolean
        case "date": self = .date
        case _ where base.hasPrefix("timestamp"): self = .datetime
        case "json", "jsonb": self = .json
        case "bytea": self = .binary
        default: self = .other
        }
    }

    /// Whether a foreign key of this family may reference a column of `other`.
    public func isCompatible(with other: TypeFamily) -> Bool {
        if self == .other || other == .other || self == other { return true }
        let numbers: Set<TypeFamily> = [.integer, .numeric]
        return numbers.contains(self) && numbers.contains(other)
    }

    /// How to say it in a message.
    public var phrase: String {
        switch self {
        case .uuid: return "a uuid"
        case .integer: return "an integer"
        case .numeric: return "a numeric"
        case .string: return "a string"
        case .boolean: return "a boolean"
        case .date: return "a date"
        case .datetime: return "a datetime"
        case .json: return "a json"
        case .binary: return "a binary"
        case .other: return "another"
        }
    }

    /// The spec type to suggest for a column that must match this family.
    public var specType: String? {
        switch self {
        case .uuid: return "uuid"
        case .integer: return "integer (or bigint, smallint: match the referenced column)"
        case .numeric: return "numeric"
        case .string: return "string (with the referenced column's length)"
        case .boolean: return "boolean"
        case .date: return "date"
        case .datetime: return "datetime"
        case .json: return "jsonb"
        case .binary, .other: return nil
        }
    }
}

/// Close names for "did you mean" lists.
enum Fuzzy {
    static func closest(to name: String, in candidates: Set<String>, limit: Int) -> [String] {
        let target = Array(name.utf8)
        var scored: [(Int, String)] = []
        for c in candidates {
            let u = Array(c.utf8)
            var score = distance(target, u, cap: max(3, target.count / 2) + 1)
            if c.hasPrefix(name) || name.hasPrefix(c) || (name.count >= 3 && c.contains(name)) || (c.count >= 3 && name.contains(c)) {
                score = min(score, 1)
            }
            // Singular and plural: invoice / invoices.
            if c == name + "s" || name == c + "s" || c == name + "es" || name == c + "es" { score = 0 }
            if score <= max(2, target.count / 3) { scored.append((score, c)) }
        }
        return scored.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.prefix(limit).map(\.1)
    }

    /// Levenshtein distance, stopping early once it exceeds `cap`.
    static func distance(_ a: [UInt8], _ b: [UInt8], cap: Int) -> Int {
        if abs(a.count - b.count) > cap { return cap + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMin = min(rowMin, current[j])
            }
            if rowMin > cap { return cap + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
