/// What the type rules share: every column a change creates (`create_table`, `add_column`) or
/// retypes (`alter_column(type_=...)`), with PostgreSQL's name for its type.
enum ColumnTypes {
    struct Column: Sendable {
        var table: String
        var column: String
        var type: TypeConversion.PGType
        var sql: String
        /// Part of the primary key; `solePrimaryKey`: the whole of it.
        var primaryKey: Bool
        var solePrimaryKey: Bool
    }

    /// What a type spelling reads as, each spelling worked out once per run (a history has few).
    final class Memo {
        private var sql: [String: String] = [:]
        private var types: [String: TypeConversion.PGType] = [:]

        func sqlType(ofSQLAlchemy type: String) -> String {
            if let known = sql[type] { return known }
            let found = SQLTypes.sqlType(ofSQLAlchemy: type)
            sql[type] = found
            return found
        }

        func pgType(_ ddl: String) -> TypeConversion.PGType {
            if let known = types[ddl] { return known }
            let found = TypeConversion.PGType(ddl: ddl)
            types[ddl] = found
            return found
        }
    }

    /// Worked out once per change (`ReviewedChange.columnTypes`).
    static func columns(_ change: SchemaChange, tableBefore: SchemaTable?, memo: Memo = Memo()) -> [Column] {
        func pg(_ col: SchemaColumn) -> String { col.sqlType.isEmpty ? memo.sqlType(ofSQLAlchemy: col.type) : col.sqlType }
        func make(_ table: String, _ col: SchemaColumn, _ key: [String]) -> Column {
            let sql = pg(col)
            return Column(table: table, column: col.name, type: memo.pgType(sql), sql: sql,
                          primaryKey: key.contains(col.name), solePrimaryKey: key == [col.name])
        }
        switch change {
        case .createTable(let t): return t.columns.map { make(t.name, $0, t.primaryKey) }
        case .addColumns(let t, let f): return f.columns.map { make(t, $0, f.primaryKey) }
        case .alterColumn(let t, let col, let a):
            guard let type = a.type else { return [] }
            let sql = a.sqlType ?? memo.sqlType(ofSQLAlchemy: type)
            let key = tableBefore?.primaryKey ?? []
            return [Column(table: t, column: col, type: memo.pgType(sql), sql: sql, primaryKey: key.contains(col), solePrimaryKey: key == [col])]
        default:
            return []
        }
    }

    static func columns(_ c: ReviewedChange) -> [Column] { c.columnTypes }
}
