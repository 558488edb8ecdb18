import Foundation

/// A `create_table` with every rule applied: resolved nullability, server
/// defaults, and named constraints and indexes. Both the Python and the SQL
/// renderers read this, so they always agree.
public struct TableDefinition: Equatable, Sendable {
    public struct ResolvedColumn: Equatable, Sendable {
        public var name: String
        public var type: ColumnType
        public var length: Int?
        public var precision: Int?
        public var scale: Int?
        public var nullable: Bool
        /// The SQL expression of the server default, e.g. `now()` or `'DRAFT'`.
        public var serverDefault: String?
        /// Whether PostgreSQL fills it from a sequence (`SERIAL`). SQLAlchemy's rule for
        /// `autoincrement="auto"`: the table's only primary-key column, an integer, with no
        /// server default and no foreign key. The Python file leaves it to SQLAlchemy; the SQL
        /// preview writes SERIAL from this, so both say the same.
        public var autoincrement = false
    }

    public struct ForeignKeyConstraint: Equatable, Sendable {
        public var name: String
        public var column: String
        public var table: String
        public var referencedColumn: String
        public var onDelete: OnDelete?
    }

    public struct NamedColumns: Equatable, Sendable {
        public var name: String
        public var columns: [String]
    }

    public struct CheckConstraint: Equatable, Sendable {
        public var name: String
        /// The SQL condition in the seed's form: `status IN ('A','B')`.
        public var condition: String
    }

    public var name: String
    public var columns: [ResolvedColumn]
    public var primaryKey: [String]
    public var foreignKeys: [ForeignKeyConstraint]
    public var uniques: [NamedColumns]
    public var checks: [CheckConstraint]
    public var indexes: [NamedColumns]

    /// Resolves a validated `create_table`.
    public init(_ t: CreateTable) {
        name = t.name
        var all = t.columns
        if t.timestamps {
            all.append(Column(name: "created_at", type: .datetime, nullable: false, defaultValue: .now))
            all.append(Column(name: "updated_at", type: .datetime, nullable: false, defaultValue: .now))
        }
        let soleKey = all.filter(\.primaryKey).count == 1
        columns = all.map { c in
            let serverDefault = TableDefinition.serverDefault(c, soleKey: soleKey)
            return ResolvedColumn(
                name: c.name, type: c.type, length: c.type == .string ? (c.length ?? 255) : nil,
                precision: c.precision, scale: c.scale, nullable: c.isNullable, serverDefault: serverDefault,
                autoincrement: soleKey && c.primaryKey && c.type.isInteger && serverDefault == nil && c.foreignKey == nil)
        }
        primaryKey = all.filter(\.primaryKey).map(\.name)
        foreignKeys = all.compactMap { c in
            c.foreignKey.map {
                ForeignKeyConstraint(name: TableDefinition.foreignKeyName(table: t.name, column: c.name), column: c.name, table: $0.table, referencedColumn: $0.column, onDelete: $0.onDelete)
            }
        }
        // A unique rule, on one column or several, is the convention's named constraint, never a unique index.
        var uniques = all.filter(\.unique).map { NamedColumns(name: TableDefinition.uniqueName(table: t.name, columns: [$0.name]), columns: [$0.name]) }
        checks = all.compactMap { c in
            c.enumValues.map { values in
                CheckConstraint(
                    name: TableDefinition.checkName(table: t.name, column: c.name),
                    condition: "\(c.name) IN (" + values.map(SQL.literal).joined(separator: ",") + ")")
            }
        }
        var indexes: [NamedColumns] = []
        var names = Set<String>()
        for c in all where c.foreignKey != nil || c.index {
            let n = TableDefinition.indexName(table: t.name, columns: [c.name])
            if names.insert(n).inserted { indexes.append(NamedColumns(name: n, columns: [c.name])) }
        }
        for i in t.indexes {
            if i.unique {
                let n = TableDefinition.uniqueName(table: t.name, columns: i.columns)
                if !uniques.contains(where: { $0.name == n }) { uniques.append(NamedColumns(name: n, columns: i.columns)) }
                continue
            }
            let n = TableDefinition.indexName(table: t.name, columns: i.columns)
            if names.insert(n).inserted { indexes.append(NamedColumns(name: n, columns: i.columns)) }
        }
        self.uniques = uniques
        self.indexes = indexes
    }

    /// The names of the indexes and unique constraints that columns ask for (FK, `index: true`, `unique: true`).
    static func columnIndexNames(_ t: CreateTable) -> [String] {
        t.columns.filter { $0.foreignKey != nil || $0.index }.map { indexName(table: t.name, columns: [$0.name]) }
            + t.columns.filter(\.unique).map { uniqueName(table: t.name, columns: [$0.name]) }
    }

    /// The name an `indexes` entry gets: `uniq_` for a unique one (a constraint), `idx_` otherwise.
    static func name(of index: Index, table: String) -> String {
        index.unique ? uniqueName(table: table, columns: index.columns) : indexName(table: table, columns: index.columns)
    }

    public static func checkName(table: String, column: String) -> String { "chk_\(table)_\(column)" }
    public static func foreignKeyName(table: String, column: String) -> String { "fk_\(table)_\(column)" }
    public static func uniqueName(table: String, columns: [String]) -> String { "uniq_\(table)_" + columns.joined(separator: "_") }
    public static func indexName(table: String, columns: [String]) -> String { "idx_\(table)_" + columns.joined(separator: "_") }

    /// The SQL text of a column's server default. A table's sole UUID primary key gets
    /// `gen_random_uuid()`; the columns of a composite key (typically foreign keys of a
    /// join table) do not, since a random value there would reference nothing.
    static func serverDefault(_ c: Column, soleKey: Bool) -> String? {
        guard let d = c.defaultValue else {
            return c.primaryKey && soleKey && c.type == .uuid && c.foreignKey == nil ? "gen_random_uuid()" : nil
        }
        switch d {
        case .now: return c.type == .date ? "CURRENT_DATE" : "now()"
        case .sql(let e): return e.trimmed(" ")
        case .string(let s): return SQL.literal(s)
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .decimal(let x): return x.description
        case .json(let j): return SQL.literal(j.compactText)
        }
    }
}

/// SQL text helpers.
public enum SQL {
    /// A standard SQL string literal: `'O''Brien'`.
    public static func literal(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// Escapes every `:name` that SQLAlchemy's `text()` (and so `sa.text`, `sa.CheckConstraint`)
    /// would read as a bind parameter, following its own pattern `(?<![:\w\\]):(\w+)(?!:)`.
    /// Without this, a default `'{"a":1}'` would be sent as `'{"a"NULL}'`.
    ///
    /// `text()` also removes the backslash of `\:word` (its escape, `\x5c(:[\w$]*)(?![:\w$])`), so a
    /// backslash the text itself has there is doubled: a default `'a\:x'` reaches the server as
    /// `'a\:x'`, not `'a:x'` (found by Tests/integration/test_security.py).
    public static func escapingBindParameters(_ s: String) -> String {
        let chars = Array(s)
        var inserts = Set(bindParameters(chars).map(\.lowerBound))
        for i in unescapedByText(chars) { inserts.insert(i) }
        var out = ""
        for (i, c) in chars.enumerated() {
            if inserts.contains(i) { out += "\\" }
            out.append(c)
        }
        return out
    }

    /// The backslashes `text()` would drop: each `\` before `:` and a run of word characters or `$`
    /// that no `:`, word character or `$` follows.
    static func unescapedByText(_ chars: [Character]) -> [Int] {
        func isRun(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "$" }
        var found: [Int] = []
        for i in chars.indices where chars[i] == "\\" && i + 1 < chars.count && chars[i + 1] == ":" {
            var j = i + 2
            while j < chars.count, isRun(chars[j]) { j += 1 }
            if j == chars.count || !(chars[j] == ":" || isRun(chars[j])) { found.append(i) }
        }
        return found
    }

    /// Where SQLAlchemy's `text()` sees bind parameters (`:name`, colon included), by its own
    /// pattern `(?<![:\w\\]):(\w+)(?!:)`: the one reading both the escaping above and the
    /// statement reader (`ExecutedSQL.parsable`) use.
    static func bindParameters(_ chars: [Character]) -> [Range<Int>] {
        func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        var spans: [Range<Int>] = []
        var i = 0
        while i < chars.count {
            if chars[i] == ":", i + 1 < chars.count, isWord(chars[i + 1]),
               i == 0 || !(chars[i - 1] == ":" || chars[i - 1] == "\\" || isWord(chars[i - 1])) {
                var j = i + 1
                while j < chars.count, isWord(chars[j]) { j += 1 }
                if j == chars.count || chars[j] != ":" {
                    spans.append(i..<j)
                    i = j
                    continue
                }
            }
            i += 1
        }
        return spans
    }
}
