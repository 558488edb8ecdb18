/// Plan steps as Python: the body of `upgrade()` and `downgrade()`.
///
/// What SQLite cannot alter in place (columns, constraints) goes through
/// `op.batch_alter_table`, which on PostgreSQL runs the same ALTERs in place; what is
/// PostgreSQL's alone (VALIDATE, the NOT NULL recipe's check) stands under a dialect test;
/// concurrent index builds run in Alembic's `autocommit_block`. Consecutive statements of
/// the same kind share one block.
enum PythonSteps {
    /// Where a statement stands.
    enum Block: Equatable {
        case plain
        case batch(String)
        case postgres
        case autocommit
        /// PostgreSQL only, outside the transaction: VALIDATE scans without holding the lock its
        /// `NOT VALID` step took (that step is committed first).
        case postgresAutocommit
        /// The other databases' form of what the `.postgres` block before it does: `else:` with a batch.
        case otherwiseBatch(String)
        /// The same, as plain statements: `else:`.
        case otherwise
    }

    struct Statement {
        var block: Block
        var expr: PyExpr
    }

    /// The lines of `steps`, indented for a function body, within `width` columns where ruff would.
    static func lines(_ steps: [PlanStep], width: Int) -> [String] {
        var statements: [Statement] = []
        for step in steps { statements += self.statements(step) }
        var out: [String] = []
        var i = 0
        while i < statements.count {
            let block = statements[i].block
            var j = i
            while j < statements.count, statements[j].block == block { j += 1 }
            let group = statements[i..<j]
            switch block {
            case .plain:
                for s in group { out += s.expr.lines(indent: 4, width: width) }
            case .batch(let table):
                out += PyExpr.call("with op.batch_alter_table", [PyArg(nil, .string(table))]).lines(indent: 4, suffix: " as batch_op:", width: width)
                for s in group { out += s.expr.lines(indent: 8, width: width) }
            case .postgres:
                out.append("    if op.get_context().dialect.name == \"postgresql\":")
                for s in group { out += s.expr.lines(indent: 8, width: width) }
            case .autocommit:
                out.append("    with op.get_context().autocommit_block():")
                for s in group { out += s.expr.lines(indent: 8, width: width) }
            case .postgresAutocommit:
                out.append("    if op.get_context().dialect.name == \"postgresql\":")
                out.append("        with op.get_context().autocommit_block():")
                for s in group { out += s.expr.lines(indent: 12, width: width) }
            case .otherwiseBatch(let table):
                out.append("    else:")
                out += PyExpr.call("with op.batch_alter_table", [PyArg(nil, .string(table))]).lines(indent: 8, suffix: " as batch_op:", width: width)
                for s in group { out += s.expr.lines(indent: 12, width: width) }
            case .otherwise:
                out.append("    else:")
                for s in group { out += s.expr.lines(indent: 8, width: width) }
            }
            i = j
        }
        return out
    }

    static func text(_ sql: String) -> PyExpr { .call("sa.text", [PyArg(nil, .string(SQL.escapingBindParameters(sql)))]) }

    /// `op.x(table, ...)` in place, `batch_op.x(...)` in a batch block.
    static func call(_ name: String, _ block: Block, table: String, _ args: [PyArg]) -> PyExpr {
        if case .batch = block { return .call("batch_op." + name, args) }
        return .call("op." + name, [PyArg(nil, .string(table))] + args)
    }

    static func column(_ c: PlanColumn) -> PyExpr {
        var args = [PyArg(nil, .string(c.name)), PyArg(nil, .atom(c.pythonType))]
        if let identity = c.identity { args.append(PyArg(nil, .call("sa.Identity", identity == "always" ? [PyArg("always", .atom("True"))] : []))) }
        if let d = c.serverDefault { args.append(PyArg("server_default", text(d))) }
        args.append(PyArg("nullable", .atom(c.nullable ? "True" : "False")))
        return .call("sa.Column", args)
    }

    static func statements(_ step: PlanStep, postgresOnly: Bool = false) -> [Statement] {
        // On PostgreSQL alone nothing needs batch mode.
        let alter: Block = postgresOnly ? .postgres : .batch(step.table)
        let plain: Block = postgresOnly ? .postgres : .plain
        switch step {
        case .createTable(let t):
            // The table, the serial columns it cannot list (PlanTable.serialsAddedAfter), then its indexes.
            let exprs = createTable(t)
            return [Statement(block: plain, expr: exprs[0])] + t.serialsAddedAfter.flatMap { statements(.addColumn(t.name, $0), postgresOnly: postgresOnly) }
                + exprs.dropFirst().map { Statement(block: plain, expr: $0) }
        case .dropTable(let t):
            var out = t.indexes.reversed().map { Statement(block: plain, expr: dropIndex($0, concurrently: false)) }
            out.append(Statement(block: plain, expr: .call("op.drop_table", [PyArg(nil, .string(t.name))])))
            return out
        case .renameTable(let a, let b):
            return [Statement(block: plain, expr: .call("op.rename_table", [PyArg(nil, .string(a)), PyArg(nil, .string(b))]))]
        case .addColumn(let t, let c):
            // SQLite adds a column with a function default (now(), gen_random_uuid()) by copying the
            // table, which evaluates the default: there it gets the function SQLite has.
            if !postgresOnly, let d = c.serverDefault, let portable = SQLiteDefault.replacing(d) {
                var there = c
                there.serverDefault = portable
                return [
                    Statement(block: .postgres, expr: call("add_column", .postgres, table: t, [PyArg(nil, column(c))])),
                    Statement(block: .otherwiseBatch(t), expr: call("add_column", .batch(t), table: t, [PyArg(nil, column(there))])),
                ]
            }
            if !postgresOnly, c.autoincrement {
                // SQLAlchemy makes SERIAL only of a table's sole integer key; PostgreSQL's own
                // statement puts back the column numbered by a sequence of its own.
                var there = c
                there.autoincrement = false
                return [
                    Statement(block: .postgres, expr: .call("op.execute", [PyArg(nil, .string(SQLRenderer.addColumn(t, c)))])),
                    Statement(block: .otherwiseBatch(t), expr: call("add_column", .batch(t), table: t, [PyArg(nil, column(there))])),
                ]
            }
            return [Statement(block: alter, expr: call("add_column", alter, table: t, [PyArg(nil, column(c))]))]
        case .dropColumn(let t, let c):
            return [Statement(block: alter, expr: call("drop_column", alter, table: t, [PyArg(nil, .string(c.name))]))]
        case .renameColumn(let t, let a, let b):
            // SQLite renames a column in place (and in its CHECKs); batch mode would copy the table.
            return [Statement(block: plain, expr: .call("op.alter_column", [PyArg(nil, .string(t)), PyArg(nil, .string(a)), PyArg("new_column_name", .string(b))]))]
        case .alterColumn(let t, let from, let to, let cast):
            var args = [PyArg(nil, .string(from.name)), PyArg("existing_type", .atom(from.pythonType))]
            if from.pythonType != to.pythonType {
                args.append(PyArg("type_", .atom(to.pythonType)))
                if let using = cast.using { args.append(PyArg("postgresql_using", .string(using))) }
            }
            if from.nullable != to.nullable {
                args.append(PyArg("nullable", .atom(to.nullable ? "True" : "False")))
            } else {
                args.append(PyArg("existing_nullable", .atom(to.nullable ? "True" : "False")))
            }
            if from.serverDefault != to.serverDefault {
                args.append(PyArg("server_default", to.serverDefault.map(text) ?? .atom("None")))
            }
            return [Statement(block: alter, expr: call("alter_column", alter, table: t, args))]
        case .createIndex(let i, let concurrently):
            return [Statement(block: concurrently && !postgresOnly ? .autocommit : plain, expr: createIndex(i, concurrently: concurrently))]
        case .dropIndex(let i, let concurrently):
            return [Statement(block: concurrently && !postgresOnly ? .autocommit : plain, expr: dropIndex(i, concurrently: concurrently))]
        case .addConstraint(let t, let c, let notValid):
            var args: [PyArg]
            let name: String
            switch c {
            case .check(let n, let condition):
                name = "create_check_constraint"
                args = [PyArg(nil, .string(n)), PyArg(nil, .string(SQL.escapingBindParameters(condition)))]
            case .unique(let n, let columns):
                name = "create_unique_constraint"
                args = [PyArg(nil, .string(n)), PyArg(nil, .list(columns.map(PyExpr.string)))]
            case .foreignKey(let fk):
                name = "create_foreign_key"
                args = [PyArg(nil, .string(fk.name)), PyArg(nil, .string(fk.referencedTable)), PyArg(nil, .list(fk.columns.map(PyExpr.string))),
                        PyArg(nil, .list(fk.referencedColumns.map(PyExpr.string)))]
                args += foreignKeyOptions(fk)
            }
            if notValid, c.canBeNotValid { args.append(PyArg("postgresql_not_valid", .atom("True"))) }
            if case .batch = alter {
                // batch_op.create_foreign_key takes the referenced table first, the local table is the batch's.
                return [Statement(block: alter, expr: .call("batch_op." + name, args))]
            }
            // op.create_check_constraint(name, table, condition); op.create_foreign_key(name, source, referent, ...).
            args.insert(PyArg(nil, .string(t)), at: 1)
            return [Statement(block: alter, expr: .call("op." + name, args))]
        case .attachUniqueIndex(let t, let name, let columns):
            let attach = "ALTER TABLE \(t) ADD CONSTRAINT \(name) UNIQUE USING INDEX \(name)"
            return [
                Statement(block: .postgres, expr: .call("op.execute", [PyArg(nil, .string(attach))])),
                Statement(block: .otherwiseBatch(t), expr: .call("batch_op.create_unique_constraint", [PyArg(nil, .string(name)), PyArg(nil, .list(columns.map(PyExpr.string)))])),
            ]
        case .dropConstraint(let t, let c, _):
            let args = [PyArg(nil, .string(c.name)), PyArg("type_", .string(c.alembicType))]
            if case .batch = alter { return [Statement(block: alter, expr: .call("batch_op.drop_constraint", args))] }
            return [Statement(block: alter, expr: .call("op.drop_constraint", [args[0], PyArg(nil, .string(t)), args[1]]))]
        case .validateConstraint(let t, let name, _):
            return [Statement(block: .postgresAutocommit, expr: .call("op.execute", [PyArg(nil, .string("ALTER TABLE \(t) VALIDATE CONSTRAINT \(name)"))]))]
        case .update(let t, let column, let value, let condition):
            let sql = "UPDATE \(t) SET \(column) = \(value) WHERE \(condition)"
            return [Statement(block: plain, expr: .call("op.execute", [PyArg(nil, .string(SQL.escapingBindParameters(sql)))]))]
        case .backfill(let t, let column, let value, let batchSize):
            let batches = PyExpr.concatenation(SQLRenderer.backfillBatches(t, column: column, value: value, batchSize: batchSize).map(SQL.escapingBindParameters))
            let once = "UPDATE \(t) SET \(column) = \(value) WHERE \(column) IS NULL"
            return [
                Statement(block: .postgresAutocommit, expr: .call("op.execute", [PyArg(nil, batches)])),
                Statement(block: .otherwise, expr: .call("op.execute", [PyArg(nil, .string(SQL.escapingBindParameters(once)))])),
            ]
        case .postgresOnly(let s):
            return statements(s, postgresOnly: true)
        case .autocommit(let s):
            return statements(s, postgresOnly: postgresOnly).map { Statement(block: postgresOnly ? .postgresAutocommit : .autocommit, expr: $0.expr) }
        }
    }

    static func foreignKeyOptions(_ fk: PlanForeignKey) -> [PyArg] {
        var args: [PyArg] = []
        if let od = fk.onDelete { args.append(PyArg("ondelete", .string(od))) }
        if let ou = fk.onUpdate { args.append(PyArg("onupdate", .string(ou))) }
        if fk.deferrable { args.append(PyArg("deferrable", .atom("True"))) }
        if fk.initiallyDeferred { args.append(PyArg("initially", .string("DEFERRED"))) }
        return args
    }

    /// An index key: a column name as a string, an expression or a descending key as `sa.text`.
    static func indexKey(_ key: String, descending: Bool) -> PyExpr {
        if SpecValidator.isIdentifier(key), !descending { return .string(key) }
        return text(key + (descending ? " DESC" : ""))
    }

    static func createIndex(_ i: PlanIndex, concurrently: Bool) -> PyExpr {
        let keys = i.columns.enumerated().map { k, c in indexKey(c, descending: k < i.descending.count && i.descending[k]) }
        var args = [PyArg(nil, .string(i.name)), PyArg(nil, .string(i.table)), PyArg(nil, .list(keys))]
        if i.unique { args.append(PyArg("unique", .atom("True"))) }
        if i.method != "btree" { args.append(PyArg("postgresql_using", .string(i.method))) }
        if let p = i.predicate {
            args.append(PyArg("postgresql_where", text(p)))
            args.append(PyArg("sqlite_where", text(p)))
        }
        if concurrently { args.append(PyArg("postgresql_concurrently", .atom("True"))) }
        return .call("op.create_index", args)
    }

    static func dropIndex(_ i: PlanIndex, concurrently: Bool) -> PyExpr {
        var args = [PyArg(nil, .string(i.name)), PyArg("table_name", .string(i.table))]
        if concurrently { args.append(PyArg("postgresql_concurrently", .atom("True"))) }
        return .call("op.drop_index", args)
    }

    /// `op.create_table(...)` and its indexes, in the form `create_table` has always had.
    static func createTable(_ t: PlanTable) -> [PyExpr] {
        var args: [PyArg] = [PyArg(nil, .string(t.name))]
        for c in t.createdColumns { args.append(PyArg(nil, column(c))) }
        if !t.primaryKey.isEmpty {
            var pk = t.primaryKey.map { PyArg(nil, .string($0)) }
            if let n = t.primaryKeyName { pk.append(PyArg("name", .string(n))) }
            args.append(PyArg(nil, .call("sa.PrimaryKeyConstraint", pk)))
        }
        for fk in t.foreignKeys {
            var fargs = [
                PyArg(nil, .list(fk.columns.map(PyExpr.string))),
                PyArg(nil, .list(fk.referencedColumns.map { .string(fk.referencedTable + "." + $0) })),
                PyArg("name", .string(fk.name)),
            ]
            fargs += foreignKeyOptions(fk)
            args.append(PyArg(nil, .call("sa.ForeignKeyConstraint", fargs)))
        }
        for u in t.uniqueConstraints {
            args.append(PyArg(nil, .call("sa.UniqueConstraint", u.columns.map { PyArg(nil, .string($0)) } + [PyArg("name", .string(u.name))])))
        }
        for ch in t.checks {
            args.append(PyArg(nil, .call("sa.CheckConstraint", [PyArg(nil, .string(SQL.escapingBindParameters(ch.condition))), PyArg("name", .string(ch.name))])))
        }
        return [PyExpr.call("op.create_table", args, magicTrailingComma: true)] + t.indexes.map { createIndex($0, concurrently: false) }
    }
}

/// Server defaults that are PostgreSQL functions, and what SQLite evaluates instead.
enum SQLiteDefault {
    /// The SQLite expression for `expression`, or nil when SQLite evaluates it as it is.
    static func replacing(_ expression: String) -> String? {
        switch expression.trimmed(" ").lowercased() {
        case "now()", "transaction_timestamp()", "statement_timestamp()", "clock_timestamp()", "localtimestamp": return "CURRENT_TIMESTAMP"
        case "gen_random_uuid()", "uuid_generate_v4()": return "(lower(hex(randomblob(16))))"
        default: return nil
        }
    }
}
