/// Renders the PostgreSQL DDL that a migration's upgrade and downgrade run, for review.
public enum SQLRenderer {
    /// The upgrade statements, then the downgrade statements, each under a comment line.
    public static func sql(operations: [MigrationOperation], revision: String) -> String {
        var up: [String] = []
        var downBlocks: [[String]] = []
        for op in operations {
            switch op {
            case .createTable(let t):
                let def = TableDefinition(t)
                up += createTable(def)
                downBlocks.append(def.indexes.reversed().map { "DROP INDEX \($0.name);" } + ["DROP TABLE \(def.name);"])
            }
        }
        let down = downBlocks.reversed().flatMap { $0 }
        var out = "-- upgrade \(revision)\n"
        out += up.isEmpty ? "-- (no statements)\n" : up.joined(separator: "\n\n") + "\n"
        out += "\n-- downgrade \(revision)\n"
        out += down.isEmpty ? "-- (no statements)\n" : down.joined(separator: "\n") + "\n"
        return out
    }

    static func createTable(_ t: TableDefinition) -> [String] {
        var parts: [String] = []
        for c in t.columns {
            var line = "    \(c.name) "
            if c.autoincrement {
                line += c.type == .bigint ? "BIGSERIAL" : c.type == .smallint ? "SMALLSERIAL" : "SERIAL"
            } else {
                line += sqlType(c)
            }
            if let d = c.serverDefault { line += " DEFAULT \(d)" }
            line += c.nullable ? "" : " NOT NULL"
            parts.append(line)
        }
        if !t.primaryKey.isEmpty { parts.append("    PRIMARY KEY (\(t.primaryKey.joined(separator: ", ")))") }
        for fk in t.foreignKeys {
            var line = "    CONSTRAINT \(fk.name) FOREIGN KEY(\(fk.column)) REFERENCES \(fk.table) (\(fk.referencedColumn))"
            if let od = fk.onDelete { line += " ON DELETE \(od.rawValue)" }
            parts.append(line)
        }
        for u in t.uniques { parts.append("    CONSTRAINT \(u.name) UNIQUE (\(u.columns.joined(separator: ", ")))") }
        for ch in t.checks { parts.append("    CONSTRAINT \(ch.name) CHECK (\(ch.condition))") }
        var statements = ["CREATE TABLE \(t.name) (\n" + parts.joined(separator: ",\n") + "\n);"]
        for i in t.indexes {
            statements.append("CREATE INDEX \(i.name) ON \(t.name) (\(i.columns.joined(separator: ", ")));")
        }
        return statements
    }

    /// The PostgreSQL type of a column.
    public static func sqlType(_ c: TableDefinition.ResolvedColumn) -> String {
        switch c.type {
        case .uuid: return "UUID"
        case .string: return "VARCHAR(\(c.length ?? 255))"
        case .text: return "TEXT"
        case .integer: return "INTEGER"
        case .bigint: return "BIGINT"
        case .smallint: return "SMALLINT"
        case .numeric: return c.precision.map { "NUMERIC(\($0), \(c.scale ?? 0))" } ?? "NUMERIC"
        case .float: return "FLOAT"
        case .boolean: return "BOOLEAN"
        case .date: return "DATE"
        case .datetime: return "TIMESTAMP WITH TIME ZONE"
        case .jsonb: return "JSONB"
        case .json: return "JSON"
        }
    }
}
