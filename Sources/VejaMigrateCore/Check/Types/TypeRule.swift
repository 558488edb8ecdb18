/// What the type rules share: every column a change creates (`create_table`, `add_column`) or
/// retypes (`alter_column(type_=...)`), with PostgreSQL's name for its type.
enum ColumnTypes {
    static func columns(_ c: ReviewedChange) -> [(table: String, column: String, type: TypeConversion.PGType, sql: String, primaryKey: Bool)] {
        func pg(_ col: SchemaColumn) -> String { col.sqlType.isEmpty ? SQLTypes.sqlType(ofSQLAlchemy: col.type) : col.sqlType }
        switch c.change {
        case .createTable(let t):
            return t.columns.map { (t.name, $0.name, TypeConversion.PGType(ddl: pg($0)), pg($0), t.primaryKey.contains($0.name)) }
        case .addColumns(let t, let f):
            return f.columns.map { (t, $0.name, TypeConversion.PGType(ddl: pg($0)), pg($0), f.primaryKey.contains($0.name)) }
        case .alterColumn(let t, let col, let a):
            guard let type = a.type else { return [] }
            let sql = a.sqlType ?? SQLTypes.sqlType(ofSQLAlchemy: type)
            return [(t, col, TypeConversion.PGType(ddl: sql), sql, c.tableBefore?.primaryKey.contains(col) ?? false)]
        default:
            return []
        }
    }

    /// Whether `column` is the whole primary key (a key column of a join table is a reference, not an id).
    static func isSolePrimaryKey(_ c: ReviewedChange, _ column: String) -> Bool {
        switch c.change {
        case .createTable(let t): return t.primaryKey == [column]
        case .addColumns(_, let f): return f.primaryKey == [column]
        default: return c.tableBefore?.primaryKey == [column]
        }
    }
}
