/// A column as a step creates, adds or restores it: both spellings of its type, nullability, default.
///
/// Columns of the spec come from `TableDefinition`; columns rebuilt for a downgrade come from the
/// history (`SchemaColumn`), so a dropped column is put back with the type its migration wrote.
public struct PlanColumn: Equatable, Sendable {
    public var name: String
    /// The SQLAlchemy type expression: `sa.String(length=32)`.
    public var pythonType: String
    /// The PostgreSQL DDL type as SQLAlchemy compiles it: `VARCHAR(32)`.
    public var sqlType: String
    public var nullable: Bool
    /// The SQL of the server default: `now()`, `'DRAFT'`.
    public var serverDefault: String?
    /// Numbered by a sequence of its own (`SERIAL`): SQLAlchemy makes a sole integer primary key
    /// without default one; any other column the history made serial is put back with
    /// `ALTER TABLE .. ADD COLUMN .. SERIAL` (`PlanStep.addColumn`).
    public var autoincrement = false
    /// `always` or `by default`: an identity column (`sa.Identity()`, `GENERATED .. AS IDENTITY`).
    public var identity: String?

    public init(
        name: String, pythonType: String, sqlType: String, nullable: Bool, serverDefault: String? = nil, autoincrement: Bool = false, identity: String? = nil
    ) {
        self.name = name
        self.pythonType = pythonType
        self.sqlType = sqlType
        self.nullable = nullable
        self.serverDefault = serverDefault
        self.autoincrement = autoincrement
        self.identity = identity
    }

    /// The DDL type, `SERIAL` family for an autoincrementing key.
    var ddlType: String {
        guard autoincrement else { return sqlType }
        switch sqlType {
        case "BIGINT": return "BIGSERIAL"
        case "SMALLINT": return "SMALLSERIAL"
        default: return "SERIAL"
        }
    }
}

public struct PlanForeignKey: Equatable, Sendable {
    public var name: String
    public var columns: [String]
    public var referencedTable: String
    public var referencedColumns: [String]
    public var onDelete: String?
    public var onUpdate: String?
    public var deferrable = false
    public var initiallyDeferred = false

    public init(name: String, columns: [String], referencedTable: String, referencedColumns: [String], onDelete: String? = nil, onUpdate: String? = nil) {
        self.name = name
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
    }
}

public struct PlanIndex: Equatable, Sendable {
    public var name: String
    public var table: String
    /// Column names, or SQL expressions (`lower(email)`).
    public var columns: [String]
    public var unique = false
    /// The `WHERE` of a partial index.
    public var predicate: String?
    public var method = "btree"
    /// Per key, whether it is `DESC`; empty when none is.
    public var descending: [Bool] = []

    public init(name: String, table: String, columns: [String], unique: Bool = false, predicate: String? = nil) {
        self.name = name
        self.table = table
        self.columns = columns
        self.unique = unique
        self.predicate = predicate
    }
}

/// A named table constraint that can be added and dropped on its own.
public enum PlanConstraint: Equatable, Sendable {
    case check(name: String, condition: String)
    case unique(name: String, columns: [String])
    case foreignKey(PlanForeignKey)

    public var name: String {
        switch self {
        case .check(let n, _), .unique(let n, _): return n
        case .foreignKey(let fk): return fk.name
        }
    }

    /// Alembic's `type_` for `drop_constraint`.
    var alembicType: String {
        switch self {
        case .check: return "check"
        case .unique: return "unique"
        case .foreignKey: return "foreignkey"
        }
    }
}

/// A whole table: what `create_table` makes and what a dropped table's downgrade rebuilds.
public struct PlanTable: Equatable, Sendable {
    public var name: String
    public var columns: [PlanColumn]
    public var primaryKey: [String]
    /// Written only when it is not PostgreSQL's own `<table>_pkey`.
    public var primaryKeyName: String?
    public var foreignKeys: [PlanForeignKey]
    public var uniqueConstraints: [SchemaUnique]
    public var checks: [SchemaCheck]
    public var indexes: [PlanIndex]

    public init(
        name: String, columns: [PlanColumn], primaryKey: [String] = [], primaryKeyName: String? = nil, foreignKeys: [PlanForeignKey] = [],
        uniques: [SchemaUnique] = [], checks: [SchemaCheck] = [], indexes: [PlanIndex] = []
    ) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.primaryKeyName = primaryKeyName
        self.foreignKeys = foreignKeys
        self.uniqueConstraints = uniques
        self.checks = checks
        self.indexes = indexes
    }

    /// Serial columns outside the primary key: SQLAlchemy makes only a sole integer key serial, so
    /// the table is created without them and they are added after it (`ADD COLUMN .. SERIAL`).
    var serialsAddedAfter: [PlanColumn] { columns.filter { $0.autoincrement && !primaryKey.contains($0.name) } }

    /// The columns `CREATE TABLE` lists.
    var createdColumns: [PlanColumn] { columns.filter { !($0.autoincrement && !primaryKey.contains($0.name)) } }

    public static func == (a: PlanTable, b: PlanTable) -> Bool {
        a.name == b.name && a.columns == b.columns && a.primaryKey == b.primaryKey && a.primaryKeyName == b.primaryKeyName
            && a.foreignKeys == b.foreignKeys && a.uniqueConstraints == b.uniqueConstraints && a.checks == b.checks && a.indexes == b.indexes
    }
}

extension PlanColumn {
    /// A spec column with the rules applied.
    init(_ c: TableDefinition.ResolvedColumn) {
        self.init(
            name: c.name, pythonType: MigrationRenderer.sqlalchemyType(c), sqlType: SQLRenderer.sqlType(c), nullable: c.nullable,
            serverDefault: c.serverDefault, autoincrement: c.autoincrement)
    }

    /// A column as the history has it, serial or identity included.
    init(_ c: SchemaColumn) {
        let python = PlanColumn.python(c.type) ?? PlanColumn.pythonType(sqlType: c.sqlType.isEmpty ? c.type.lowercased() : c.sqlType)
        let serial = c.identity == nil && c.autoincrement && ["integer", "bigint", "smallint"].contains(c.sqlType)
        self.init(
            name: c.name, pythonType: python, sqlType: PlanColumn.ddlType(pythonType: python, sqlType: c.sqlType), nullable: serial ? false : c.nullable,
            serverDefault: serial ? nil : c.serverDefault, autoincrement: serial, identity: c.identity)
    }

    /// A history type as the generated file can name it (it imports `sa` and `postgresql`), or nil
    /// for SQL a raw `CREATE TABLE` wrote (`character varying(64)`) or a name imported otherwise.
    static func python(_ type: String) -> String? {
        if type.hasPrefix("sa.") || type.hasPrefix("postgresql.") { return type }
        if type.hasPrefix("sqlalchemy.dialects.postgresql.") { return "postgresql." + type.dropFirst("sqlalchemy.dialects.postgresql.".count) }
        if type.hasPrefix("sqlalchemy.") { return "sa." + type.dropFirst("sqlalchemy.".count) }
        return nil
    }

    /// The SQLAlchemy type for a PostgreSQL type name, for columns raw SQL created.
    static func pythonType(sqlType t: String) -> String {
        func arguments(_ prefix: String) -> [String] {
            t.dropFirst(prefix.count).split(whereSeparator: { !$0.isNumber }).map(String.init)
        }
        switch t {
        case "uuid": return "postgresql.UUID(as_uuid=True)"
        case "text": return "sa.Text()"
        case "integer": return "sa.Integer()"
        case "bigint": return "sa.BigInteger()"
        case "smallint": return "sa.SmallInteger()"
        case "boolean": return "sa.Boolean()"
        case "date": return "sa.Date()"
        case "timestamp with time zone": return "sa.DateTime(timezone=True)"
        case "timestamp without time zone": return "sa.DateTime()"
        case "jsonb": return "postgresql.JSONB(astext_type=sa.Text())"
        case "json": return "sa.JSON()"
        case "double precision": return "postgresql.DOUBLE_PRECISION()"
        case "real": return "sa.REAL()"
        case "numeric": return "sa.Numeric()"
        case "bytea": return "postgresql.BYTEA()"
        default: break
        }
        if t.hasPrefix("character varying") { return arguments("character varying").first.map { "sa.String(length=\($0))" } ?? "sa.String()" }
        if t.hasPrefix("numeric(") { return "sa.Numeric(" + arguments("numeric").joined(separator: ", ") + ")" }
        if t.hasPrefix("character(") { return "sa.CHAR(" + (arguments("character").first ?? "1") + ")" }
        return "sa.Text()"
    }

    /// The DDL type SQLAlchemy compiles a type expression to on PostgreSQL (`sa.String(length=32)` → `VARCHAR(32)`),
    /// from PostgreSQL's name of it when the expression is not a common one.
    static func ddlType(pythonType: String, sqlType: String) -> String {
        switch sqlType {
        case "uuid": return "UUID"
        case "text": return "TEXT"
        case "integer": return "INTEGER"
        case "bigint": return "BIGINT"
        case "smallint": return "SMALLINT"
        case "boolean": return "BOOLEAN"
        case "date": return "DATE"
        case "timestamp with time zone": return "TIMESTAMP WITH TIME ZONE"
        case "timestamp without time zone": return "TIMESTAMP WITHOUT TIME ZONE"
        case "jsonb": return "JSONB"
        case "json": return "JSON"
        case "double precision": return pythonType.hasPrefix("sa.Float") ? "FLOAT" : "DOUBLE PRECISION"
        case "real": return "REAL"
        case "numeric": return "NUMERIC"
        default: break
        }
        if sqlType.hasPrefix("character varying(") { return "VARCHAR" + sqlType.dropFirst("character varying".count) }
        if sqlType == "character varying" { return "VARCHAR" }
        if sqlType.hasPrefix("numeric(") { return "NUMERIC" + sqlType.dropFirst("numeric".count) }
        if sqlType.hasPrefix("character(") { return "CHAR" + sqlType.dropFirst("character".count) }
        return sqlType.uppercased()
    }
}

extension PlanTable {
    /// A spec table with the rules applied: the table `create_table` writes, byte for byte as before.
    init(_ t: TableDefinition) {
        self.init(
            name: t.name, columns: t.columns.map(PlanColumn.init), primaryKey: t.primaryKey,
            foreignKeys: t.foreignKeys.map {
                PlanForeignKey(name: $0.name, columns: [$0.column], referencedTable: $0.table, referencedColumns: [$0.referencedColumn], onDelete: $0.onDelete?.rawValue)
            },
            uniques: t.uniques.map { SchemaUnique(name: $0.name, columns: $0.columns) },
            checks: t.checks.map { SchemaCheck(name: $0.name, condition: $0.condition, column: nil, values: nil) },
            indexes: t.indexes.map { PlanIndex(name: $0.name, table: t.name, columns: $0.columns) })
    }

    /// A table as the history has it, with all its constraints and indexes.
    init(_ t: SchemaTable) {
        var columns = t.columns.map(PlanColumn.init)
        // A serial column of a composite key cannot be written with Alembic's create_table: it comes back a plain integer.
        for i in columns.indices where columns[i].autoincrement && t.primaryKey.count > 1 && t.primaryKey.contains(columns[i].name) {
            columns[i].autoincrement = false
        }
        self.init(
            name: t.name, columns: columns, primaryKey: t.primaryKey,
            primaryKeyName: t.primaryKeyName == "\(t.name)_pkey" ? nil : t.primaryKeyName,
            foreignKeys: t.foreignKeys.map(PlanForeignKey.init), uniques: t.uniques, checks: t.checks,
            indexes: t.indexes.map { PlanIndex($0, table: t.name) })
    }
}

extension PlanForeignKey {
    init(_ fk: SchemaForeignKey) {
        self.init(name: fk.name, columns: fk.columns, referencedTable: fk.referencedTable, referencedColumns: fk.referencedColumns, onDelete: fk.onDelete, onUpdate: fk.onUpdate)
        deferrable = fk.deferrable
        initiallyDeferred = fk.initiallyDeferred
    }

    var schemaForeignKey: SchemaForeignKey {
        SchemaForeignKey(
            name: name, columns: columns, referencedTable: referencedTable, referencedColumns: referencedColumns, onDelete: onDelete, onUpdate: onUpdate,
            deferrable: deferrable, initiallyDeferred: initiallyDeferred)
    }
}

extension PlanIndex {
    init(_ i: SchemaIndex, table: String) {
        self.init(name: i.name, table: table, columns: i.columns, unique: i.unique, predicate: i.predicate)
        method = i.method
        descending = i.descending
    }

    var schemaIndex: SchemaIndex {
        SchemaIndex(name: name, columns: columns, unique: unique, descending: descending, method: method, predicate: predicate)
    }
}

extension PlanColumn {
    var schemaColumn: SchemaColumn {
        SchemaColumn(name: name, type: pythonType, nullable: nullable, serverDefault: serverDefault, autoincrement: autoincrement, identity: identity)
    }
}

extension PlanTable {
    var schemaTable: SchemaTable {
        var t = SchemaTable(name: name)
        t.columns = columns.map(\.schemaColumn)
        t.primaryKey = primaryKey
        t.primaryKeyName = primaryKey.isEmpty ? nil : (primaryKeyName ?? "\(name)_pkey")
        t.foreignKeys = foreignKeys.map(\.schemaForeignKey)
        t.uniques = uniqueConstraints
        t.checks = checks
        t.indexes = indexes.map(\.schemaIndex)
        return t
    }
}
