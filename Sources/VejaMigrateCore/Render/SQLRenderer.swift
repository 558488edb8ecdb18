/// Renders the PostgreSQL DDL that a migration's upgrade and downgrade run, for review.
public enum SQLRenderer {
    /// The upgrade statements, then the downgrade statements, each under a comment line.
    public static func sql(operations: [MigrationOperation], revision: String) -> String {
        sql(plan: MigrationPlan(operations: operations), revision: revision)
    }

    /// The statements of a plan's upgrade, then its downgrade. A statement on a table that existed
    /// before the migration is marked with the locks it takes (`-- lock: SHARE on projects`).
    public static func sql(plan: MigrationPlan, revision: String) -> String {
        let up = plan.upgrade.flatMap { statements($0, created: plan.createdTables) }
        let down = plan.downgrade.flatMap { statements($0, created: plan.createdTables) }
        var out = "-- upgrade \(revision)\n"
        out += up.isEmpty ? "-- (no statements)\n" : up.joined(separator: "\n\n") + "\n"
        out += "\n-- downgrade \(revision)\n"
        out += down.isEmpty ? "-- (no statements)\n" : down.joined(separator: "\n") + "\n"
        return out
    }

    /// The statements of one step, each with its lock comment when the table is not new.
    static func statements(_ step: PlanStep, created: Set<String>) -> [String] {
        let sql = statements(step)
        guard !created.contains(step.table) else { return sql }
        let locks = step.locks
        guard !locks.isEmpty else { return sql }
        var modes: [(String, [String])] = []
        for (mode, table) in locks {
            if let k = modes.firstIndex(where: { $0.0 == mode }) { modes[k].1.append(table) } else { modes.append((mode, [table])) }
        }
        var comment = "-- lock: " + modes.map { "\($0.0) on \($0.1.joined(separator: ", "))" }.joined(separator: "; ")
        if step.catalogOnly {
            comment += " (brief: catalog only, no table scan)"
        }
        if step.rewritesTable {
            comment += "\n-- rewrites \(step.table): every row is copied and every index rebuilt while that lock is held"
        }
        return sql.map { comment + "\n" + $0 }
    }

    /// The SQL Alembic renders for a step on PostgreSQL.
    static func statements(_ step: PlanStep) -> [String] {
        switch step {
        case .createTable(let t): return createTable(t)
        case .dropTable(let t): return t.indexes.reversed().map { "DROP INDEX \($0.name);" } + ["DROP TABLE \(t.name);"]
        case .renameTable(let a, let b): return ["ALTER TABLE \(a) RENAME TO \(b);"]
        case .addColumn(let t, let c): return [addColumn(t, c) + ";"]
        case .dropColumn(let t, let c): return ["ALTER TABLE \(t) DROP COLUMN \(c.name);"]
        case .renameColumn(let t, let a, let b): return ["ALTER TABLE \(t) RENAME \(a) TO \(b);"]
        case .alterColumn(let t, let from, let to, let cast):
            // Alembic's order on PostgreSQL: type, then nullability, then default.
            var out: [String] = []
            let column = "ALTER TABLE \(t) ALTER COLUMN \(from.name)"
            if from.pythonType != to.pythonType { out.append("\(column) TYPE \(to.sqlType)" + (cast.using.map { " USING \($0)" } ?? "") + ";") }
            if from.nullable != to.nullable { out.append("\(column) \(to.nullable ? "DROP NOT NULL" : "SET NOT NULL");") }
            if from.serverDefault != to.serverDefault { out.append("\(column) " + (to.serverDefault.map { "SET DEFAULT \($0)" } ?? "DROP DEFAULT") + ";") }
            return out
        case .createIndex(let i, let concurrently): return [createIndex(i, concurrently: concurrently)]
        case .dropIndex(let i, let concurrently): return ["DROP INDEX \(concurrently ? "CONCURRENTLY " : "")\(i.name);"]
        case .addConstraint(let t, let c, let notValid):
            let suffix = notValid && c.canBeNotValid ? " NOT VALID" : ""
            return ["ALTER TABLE \(t) ADD CONSTRAINT \(c.name) \(constraintBody(c))\(suffix);"]
        case .attachUniqueIndex(let t, let name, _): return ["ALTER TABLE \(t) ADD CONSTRAINT \(name) UNIQUE USING INDEX \(name);"]
        case .dropConstraint(let t, let c, _): return ["ALTER TABLE \(t) DROP CONSTRAINT \(c.name);"]
        case .validateConstraint(let t, let name, _): return ["ALTER TABLE \(t) VALIDATE CONSTRAINT \(name);"]
        case .update(let t, let column, let value, let condition): return ["UPDATE \(t) SET \(column) = \(value) WHERE \(condition);"]
        case .backfill(let t, let column, let value, let batchSize):
            return [backfillBatches(t, column: column, value: value, batchSize: batchSize).map { $0.trimmed(" ") }.joined(separator: "\n") + ";"]
        case .postgresOnly(let s), .autocommit(let s): return statements(s)
        }
    }

    static func columnSpec(_ c: PlanColumn) -> String {
        var line = "\(c.name) \(c.ddlType)"
        if let d = c.serverDefault { line += " DEFAULT \(d)" }
        // SQLAlchemy writes no NOT NULL beside an identity, which implies it.
        if let identity = c.identity { return line + " GENERATED \(identity.uppercased()) AS IDENTITY" }
        return line + (c.nullable ? "" : " NOT NULL")
    }

    /// `ALTER TABLE .. ADD COLUMN ..`, as Alembic writes it (and as the Python file executes it for
    /// a serial column, which SQLAlchemy does not make serial outside a primary key).
    static func addColumn(_ table: String, _ c: PlanColumn) -> String {
        "ALTER TABLE \(table) ADD COLUMN \(columnSpec(c))"
    }

    /// The lock-safe NOT NULL backfill on PostgreSQL, as the pieces of one `DO` block: `batchSize`
    /// rows at a time, each batch committed (the block runs outside a transaction), until none
    /// holds NULL. The loop runs at most once per batch of the rows that held NULL when it started
    /// (the NOT VALID CHECK refuses new ones), so a value that is itself NULL cannot keep it going.
    static func backfillBatches(_ table: String, column: String, value: String, batchSize: Int) -> [String] {
        let q = PlanBuilder.backfillQuote
        return [
            "DO \(q) DECLARE remaining bigint; BEGIN ",
            "SELECT count(*) INTO remaining FROM \(table) WHERE \(column) IS NULL; ",
            "WHILE remaining > 0 LOOP ",
            "UPDATE \(table) SET \(column) = \(value) WHERE ctid IN (SELECT ctid FROM \(table) WHERE \(column) IS NULL LIMIT \(batchSize)); ",
            "EXIT WHEN NOT FOUND; remaining = remaining - \(batchSize); COMMIT; ",
            "END LOOP; END \(q)",
        ]
    }

    static func constraintBody(_ c: PlanConstraint) -> String {
        switch c {
        case .check(_, let condition): return "CHECK (\(condition))"
        case .unique(_, let columns): return "UNIQUE (\(columns.joined(separator: ", ")))"
        case .foreignKey(let fk): return foreignKeyBody(fk)
        }
    }

    static func foreignKeyBody(_ fk: PlanForeignKey) -> String {
        var line = "FOREIGN KEY(\(fk.columns.joined(separator: ", "))) REFERENCES \(fk.referencedTable) (\(fk.referencedColumns.joined(separator: ", ")))"
        if let od = fk.onDelete { line += " ON DELETE \(od)" }
        if let ou = fk.onUpdate { line += " ON UPDATE \(ou)" }
        if fk.deferrable { line += " DEFERRABLE" }
        if fk.initiallyDeferred { line += " INITIALLY DEFERRED" }
        return line
    }

    static func createIndex(_ i: PlanIndex, concurrently: Bool) -> String {
        let keys = i.columns.enumerated().map { k, c in c + (k < i.descending.count && i.descending[k] ? " DESC" : "") }
        var line = "CREATE \(i.unique ? "UNIQUE " : "")INDEX \(concurrently ? "CONCURRENTLY " : "")\(i.name) ON \(i.table)"
        if i.method != "btree" { line += " USING \(i.method)" }
        line += " (\(keys.joined(separator: ", ")))"
        if let p = i.predicate { line += " WHERE \(p)" }
        return line + ";"
    }

    static func createTable(_ t: PlanTable) -> [String] {
        var parts = t.createdColumns.map { "    " + columnSpec($0) }
        if !t.primaryKey.isEmpty {
            parts.append("    " + (t.primaryKeyName.map { "CONSTRAINT \($0) " } ?? "") + "PRIMARY KEY (\(t.primaryKey.joined(separator: ", ")))")
        }
        for fk in t.foreignKeys { parts.append("    CONSTRAINT \(fk.name) " + foreignKeyBody(fk)) }
        for u in t.uniqueConstraints { parts.append("    CONSTRAINT \(u.name) UNIQUE (\(u.columns.joined(separator: ", ")))") }
        for ch in t.checks { parts.append("    CONSTRAINT \(ch.name) CHECK (\(ch.condition))") }
        return ["CREATE TABLE \(t.name) (\n" + parts.joined(separator: ",\n") + "\n);"] + t.serialsAddedAfter.map { addColumn(t.name, $0) + ";" }
            + t.indexes.map { createIndex($0, concurrently: false) }
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
