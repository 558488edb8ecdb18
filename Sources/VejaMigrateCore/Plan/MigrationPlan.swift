/// A migration planned before it is written: each operation of the spec lowered, against the
/// schema the history builds and what the earlier operations left of it, into steps that carry
/// their inverses. `MigrationRenderer` (Python) and `SQLRenderer` (`--sql`) both emit these steps.
public struct MigrationPlan: Equatable, Sendable {
    /// The steps of each operation, in spec order.
    public var operations: [[PlanStep]] = []
    /// Tables the migration creates: they need no lock-safe forms and get no lock comments.
    public var createdTables: Set<String> = []
    /// What stops the plan (an unknown table or column, a value with nowhere to go).
    public var errors: [SpecIssue] = []
    /// What the history cannot confirm (tables touched by raw SQL).
    public var warnings: [SpecIssue] = []

    /// `upgrade()`: every operation's steps in order.
    public var upgrade: [PlanStep] { operations.flatMap { $0 } }

    /// `downgrade()`: the operations in reverse order, each step's inverse in reverse order.
    public var downgrade: [PlanStep] {
        operations.reversed().flatMap { steps in steps.reversed().flatMap(\.inverse) }
    }

    /// Plans operations with no history (what a `create_table` needs).
    public init(operations: [MigrationOperation]) {
        self.init(MigrationSpec(operations: operations), schema: nil)
    }

    /// Plans `spec` on top of `schema` (nil: no history is known, and nothing is checked against it).
    /// `safeByDefault` is what an operation is when neither it nor the spec says (`[tool.vejamigrate] safe`).
    public init(_ spec: MigrationSpec, schema: HistorySchema?, safeByDefault: Bool = true) {
        var builder = PlanBuilder(schema: schema ?? HistorySchema(), known: schema != nil)
        let single = spec.operations.count == 1 && !spec.operationsListed
        for (i, op) in spec.operations.enumerated() {
            let path = single ? op.key : "operations[\(i)].\(op.key)"
            builder.lower(op, path: path, safe: op.safe ?? spec.safe ?? safeByDefault)
        }
        operations = builder.operations
        createdTables = builder.created
        errors = builder.check.errors
        warnings = builder.check.warnings
    }
}

/// Lowers operations one by one, replaying each one's steps onto a copy of the schema.
struct PlanBuilder {
    var check: SpecValidator.HistoryCheck
    /// Whether the schema is the history's; without it nothing is reported against it.
    let known: Bool
    var operations: [[PlanStep]] = []
    var created: Set<String> = []

    init(schema: HistorySchema, known: Bool) {
        check = SpecValidator.HistoryCheck(schema: schema)
        self.known = known
    }

    var schema: HistorySchema { check.schema }

    mutating func error(_ field: String, _ problem: String, _ fix: String) {
        if known { check.error(field, problem, fix) }
    }

    mutating func warning(_ field: String, _ problem: String, _ fix: String) {
        if known { check.warning(field, problem, fix) }
    }

    mutating func lower(_ op: MigrationOperation, path: String, safe requested: Bool) {
        // Lock-safe forms matter only for tables that existed before this migration.
        let safe = requested && !created.contains(op.table)
        let errorsBefore = check.errors.count
        var steps: [PlanStep] = []
        switch op {
        case .createTable(let t):
            check.createTable(t, path)
            steps = [.createTable(PlanTable(TableDefinition(t)))]
            if !t.name.isEmpty { created.insert(t.name) }
        case .addColumns(let o): steps = addColumns(o, path, safe: safe)
        case .dropColumns(let o): steps = dropColumns(o, path, safe: safe)
        case .renameColumn(let o): steps = renameColumn(o, path)
        case .alterColumn(let o): steps = alterColumn(o, path, safe: safe)
        case .alterEnum(let o): steps = alterEnum(o, path, safe: safe)
        case .addCheck(let o): steps = addCheck(o, path, safe: safe)
        case .createIndex(let o): steps = createIndex(o, path, safe: safe)
        case .dropIndex(let o): steps = dropIndex(o, path, safe: safe)
        case .addForeignKey(let o): steps = addForeignKey(o, path, safe: safe)
        case .dropConstraint(let o): steps = dropConstraint(o, path, safe: safe)
        case .renameTable(let o): steps = renameTable(o, path)
        case .dropTable(let o): steps = dropTable(o, path)
        }
        if known, check.errors.count > errorsBefore { steps = [] }
        operations.append(steps)
        for change in steps.flatMap(\.schemaChanges) {
            check.schema.apply(LocatedChange(line: 0, change: change), file: "the spec")
        }
        if case .renameTable(let o) = op, created.remove(o.table) != nil { created.insert(o.to) }
        if case .dropTable(let o) = op { created.remove(o.table) }
    }

    // MARK: - Looking things up

    /// The table, or nil with an error. When raw SQL touched it, an operation that only adds
    /// gets a warning and a table known only by name; one whose downgrade must be rebuilt
    /// from the history (`rebuilds`) is refused, since nothing says what the table holds.
    mutating func table(_ name: String, _ field: String, rebuilds: Bool = false) -> SchemaTable? {
        guard SpecValidator.isIdentifier(name) else { return nil }
        if let t = schema.tables[name] { return t }
        if schema.isTouchedByRawSQL(name) {
            let problem = "\(name) is not created by any migration vejamigrate can read (raw SQL at \(check.locations(name)) names it)"
            if rebuilds {
                error(field, problem + ", so the downgrade cannot be rebuilt", "write this change by hand, or create \(name) with Alembic operations")
                return nil
            }
            warning(field, problem, "make sure \(name) exists before this migration runs")
            var t = SchemaTable(name: name)
            t.partial = true
            return t
        }
        let close = schema.closeTableNames(to: name)
        error(field, "\"\(name)\" is not a table in the history",
              close.isEmpty ? "use one of: " + schema.tableNames.prefix(12).joined(separator: ", ") : "did you mean " + close.joined(separator: ", ") + "?")
        return nil
    }

    /// The column, or nil with an error (a warning when raw SQL may have added it, unless the
    /// downgrade must be rebuilt from it).
    mutating func column(_ t: SchemaTable, _ name: String, _ field: String, rebuilds: Bool = false) -> SchemaColumn? {
        guard SpecValidator.isIdentifier(name) else { return nil }
        if let c = t.column(name) { return c }
        if schema.mayHaveUnknownColumns(t.name) {
            let problem = "the history does not show a column \"\(name)\" in \(t.name), but raw SQL changes that table (\(check.locations(t.name)))"
            if rebuilds {
                error(field, problem + ", so the downgrade cannot be rebuilt", "write this change by hand")
            } else {
                warning(field, problem, "make sure \(t.name).\(name) exists before this migration runs")
            }
        } else {
            error(field, "\(t.name) has no column \"\(name)\"", "use one of: " + t.columns.map(\.name).joined(separator: ", "))
        }
        return nil
    }

    /// Foreign keys of other tables that reference `table` (optionally only those on `column`).
    func referencing(_ table: String, column: String? = nil) -> [(table: String, fk: SchemaForeignKey)] {
        schema.tableNames.flatMap { name in
            (schema.tables[name]?.foreignKeys ?? []).filter { fk in
                name != table && fk.referencedTable == table && (column.map { fk.referencedColumns.contains($0) } ?? true)
            }.map { (name, $0) }
        }
    }

    // MARK: - Operations

    mutating func addColumns(_ o: AddColumns, _ path: String, safe: Bool) -> [PlanStep] {
        guard let t = table(o.table, path + ".table") else { return [] }
        let def = TableDefinition(CreateTable(name: o.table, columns: o.columns))
        let existed = !created.contains(o.table)
        for (i, c) in o.columns.enumerated() {
            let cpath = path + ".columns[\(i)]"
            if t.column(c.name) != nil {
                error(cpath + ".name", "\(o.table) has a column \"\(c.name)\" already", "choose another name, or use alter_column to change it")
            }
            if existed, !c.isNullable, c.defaultValue == nil {
                error(cpath + ".nullable", "\(c.name) is NOT NULL without a default, but the rows \(o.table) has would hold NULL",
                      "give it a default (e.g. \"default\": \(PlanBuilder.exampleDefault(c.type))), or add it nullable and set NOT NULL later with alter_column and a backfill")
            }
            if let fk = c.foreignKey {
                check.foreignKey(fk, column: c, of: CreateTable(name: created.contains(o.table) ? o.table : ""), path: cpath)
            }
        }
        var steps: [PlanStep] = def.columns.map { .addColumn(o.table, PlanColumn($0)) }
        for ch in def.checks { steps += constraint(o.table, .check(name: ch.name, condition: ch.condition), safe: safe) }
        for u in def.uniques { steps += PlanStep.addUnique(o.table, name: u.name, columns: u.columns, safe: safe) }
        for fk in PlanTable(def).foreignKeys { steps += constraint(o.table, .foreignKey(fk), safe: safe) }
        for i in def.indexes where !t.indexes.contains(where: { $0.name == i.name }) {
            steps.append(.createIndex(PlanIndex(name: i.name, table: o.table, columns: i.columns), concurrently: safe))
        }
        return steps
    }

    /// A constraint added, `NOT VALID` then validated when safe.
    func constraint(_ table: String, _ c: PlanConstraint, safe: Bool) -> [PlanStep] {
        guard safe, c.canBeNotValid else { return [.addConstraint(table, c, notValid: false)] }
        return [.addConstraint(table, c, notValid: true), PlanStep.validate(table, c)]
    }

    mutating func dropColumns(_ o: DropColumns, _ path: String, safe: Bool) -> [PlanStep] {
        guard let t = table(o.table, path + ".table", rebuilds: true) else { return [] }
        var steps: [PlanStep] = []
        var droppedIndexes = Set<String>(), droppedConstraints = Set<String>()
        for (i, name) in o.columns.enumerated() {
            let cpath = path + ".columns[\(i)]"
            guard let c = column(t, name, cpath, rebuilds: true) else { continue }
            if t.primaryKey.contains(name) {
                error(cpath, "\(name) is part of \(o.table)'s primary key", "keep it; dropping a key column is not supported")
                continue
            }
            for (other, fk) in referencing(o.table, column: name) {
                error(cpath, "\(other).\(fk.columns.joined(separator: ", ")) references \(o.table).\(name) (\(fk.name))",
                      "drop that foreign key first: an earlier {\"drop_constraint\": {\"table\": \"\(other)\", \"name\": \"\(fk.name)\"}}")
            }
            // What PostgreSQL drops with the column is dropped by name first, so the downgrade rebuilds it.
            for idx in t.indexes where idx.columns.contains(where: { $0 == name || SQLWords.mentions($0, name) }) || idx.predicate.map({ SQLWords.mentions($0, name) }) == true {
                if droppedIndexes.insert(idx.name).inserted { steps.append(.dropIndex(PlanIndex(idx, table: o.table), concurrently: safe)) }
            }
            for fk in t.foreignKeys where fk.columns.contains(name) && droppedConstraints.insert(fk.name).inserted {
                steps.append(.dropConstraint(o.table, .foreignKey(PlanForeignKey(fk)), safe: safe))
            }
            for u in t.uniques where u.columns.contains(name) && droppedConstraints.insert(u.name).inserted {
                steps.append(.dropConstraint(o.table, .unique(name: u.name, columns: u.columns), safe: safe))
            }
            for ch in t.checks where SQLWords.mentions(ch.condition, name) && droppedConstraints.insert(ch.name).inserted {
                steps.append(.dropConstraint(o.table, .check(name: ch.name, condition: ch.condition), safe: safe))
            }
            steps.append(.dropColumn(o.table, PlanColumn(c)))
        }
        return steps
    }

    mutating func renameColumn(_ o: RenameColumn, _ path: String) -> [PlanStep] {
        guard let t = table(o.table, path + ".table") else { return [] }
        _ = column(t, o.column, path + ".column")
        if t.column(o.to) != nil {
            error(path + ".to", "\(o.table) has a column \"\(o.to)\" already", "choose another name")
            return []
        }
        return [.renameColumn(o.table, o.column, to: o.to)]
    }

    mutating func alterColumn(_ o: AlterColumn, _ path: String, safe: Bool) -> [PlanStep] {
        guard let t = table(o.table, path + ".table", rebuilds: true), let c = column(t, o.column, path + ".column", rebuilds: true) else { return [] }
        let from = PlanColumn(c)
        var to = from
        // The spec type the values are checked against: the new one, else the history's.
        let current = PlanBuilder.specColumn(c)
        var target = current ?? Column(name: c.name, type: .text)
        if let type = o.type {
            target = Column(name: c.name, type: type, length: o.length, precision: o.precision, scale: o.scale)
            let resolved = PlanColumn(TableDefinition(CreateTable(name: o.table, columns: [target])).columns[0])
            to.pythonType = resolved.pythonType
            to.sqlType = resolved.sqlType
            if to.pythonType == from.pythonType {
                error(path + ".type", "\(o.table).\(o.column) is \(from.pythonType) already", "leave \"type\" out, or give another type")
            }
        }
        var validation = SpecValidator.Validation()
        if let d = o.defaultValue {
            switch d {
            case .set(let value):
                if current != nil || o.type != nil { validation.defaultValue(value, target, path + ".default") }
                var withDefault = target
                withDefault.defaultValue = value
                to.serverDefault = TableDefinition.serverDefault(withDefault, soleKey: false)
            case .drop:
                if from.serverDefault == nil { error(path + ".default", "\(o.table).\(o.column) has no default", "leave \"default\" out") }
                to.serverDefault = nil
            }
        }
        var backfillSQL: String?
        if let b = o.backfill {
            if current != nil || o.type != nil { validation.defaultValue(b, target, path + ".backfill") }
            var withValue = target
            withValue.defaultValue = b
            // CURRENT_TIMESTAMP is now() on PostgreSQL, and SQLite knows it (not now()).
            backfillSQL = b == .now ? (target.type == .date ? "CURRENT_DATE" : "CURRENT_TIMESTAMP") : TableDefinition.serverDefault(withValue, soleKey: false)
        }
        for issue in validation.issues { error(issue.field, issue.problem, issue.fix) }
        if o.nullable == false, !c.nullable {
            error(path + ".nullable", "\(o.table).\(o.column) is NOT NULL already", "leave \"nullable\" out")
        } else if o.nullable == true, c.nullable {
            error(path + ".nullable", "\(o.table).\(o.column) is nullable already", "leave \"nullable\" out")
        } else if o.nullable == true, t.primaryKey.contains(o.column) {
            error(path + ".nullable", "\(o.column) is part of \(o.table)'s primary key, which cannot hold NULL", "leave \"nullable\" out")
        }
        if o.nullable == false, c.nullable, o.backfill == nil {
            let hint = from.serverDefault.map { "e.g. the column's default, \($0)" } ?? "a value of the column's type"
            error(path + ".backfill", "is needed: \(o.table).\(o.column) becomes NOT NULL, and rows holding NULL would stop the migration",
                  "add \"backfill\" with the value those rows get (\(hint))")
        }
        // Whether PostgreSQL needs a USING to convert the values, each way (TypeConversion).
        let changesType = o.type != nil && to.pythonType != from.pythonType
        let up = changesType && TypeConversion.needsUsing(from: from.sqlType, to: to.sqlType)
        let down = changesType && TypeConversion.needsUsing(from: to.sqlType, to: from.sqlType)
        let cast = changesType ? typeCast(o, from: from, to: to, c, path, safe: safe, up: up, down: down) : TypeCast()
        // Type and default first (the backfill is of the new type), then nullability.
        var steps: [PlanStep] = []
        var typed = to
        typed.nullable = from.nullable
        if typed != from {
            if up || down, from.serverDefault != nil {
                // PostgreSQL converts a default only by an automatic cast: around a USING the default
                // is dropped, and set again once the values are converted.
                if up, o.defaultValue == nil {
                    error(path + ".default", "is needed: \(o.table).\(o.column) has the default \(from.serverDefault!), which PostgreSQL cannot convert to \(to.sqlType)",
                          "give \"default\" a value of the new type, or null to drop it")
                }
                var bare = from, retyped = typed
                bare.serverDefault = nil
                retyped.serverDefault = nil
                steps += [.alterColumn(o.table, from: from, to: bare), .alterColumn(o.table, from: bare, to: retyped, cast: cast)]
                if typed.serverDefault != nil { steps.append(.alterColumn(o.table, from: retyped, to: typed)) }
            } else {
                steps.append(.alterColumn(o.table, from: from, to: typed, cast: cast))
            }
        }
        if let n = o.nullable, n != from.nullable {
            var done = typed
            done.nullable = n
            if n {
                steps.append(.alterColumn(o.table, from: typed, to: done))
            } else {
                let value = backfillSQL ?? "NULL"
                let update = PlanStep.update(o.table, column: o.column, value: value, condition: "\(o.column) IS NULL")
                if safe {
                    // postgres-locks.md: CHECK NOT VALID, backfill, VALIDATE, SET NOT NULL (no scan), drop the CHECK.
                    // The CHECK is committed before the backfill (which then runs in its own transaction,
                    // holding only the rows it changes) and VALIDATE runs outside the transaction too,
                    // so no step holds the table while another scans it (docs/performance.md, lock benchmark).
                    let proof = PlanConstraint.check(name: PlanBuilder.notNullCheckName(o.table, o.column), condition: "\(o.column) IS NOT NULL")
                    // The backfill commits every batch of rows (PlanBuilder.backfillBatchSize).
                    let backfill = value.contains(PlanBuilder.backfillQuote) ? PlanStep.autocommit(update)
                        : .backfill(o.table, column: o.column, value: value, batchSize: PlanBuilder.backfillBatchSize)
                    steps += [
                        .postgresOnly(.addConstraint(o.table, proof, notValid: true)), backfill,
                        .postgresOnly(.validateConstraint(o.table, name: proof.name, referencing: nil)),
                        .alterColumn(o.table, from: typed, to: done), .postgresOnly(.dropConstraint(o.table, proof, safe: false)),
                    ]
                } else {
                    steps += [update, .alterColumn(o.table, from: typed, to: done)]
                }
            }
        }
        if steps.isEmpty, o.nullable == nil, o.type == nil, o.defaultValue == nil {
            error(path, "changes nothing", "give \"nullable\", \"type\" or \"default\"")
        }
        return steps
    }

    static func notNullCheckName(_ table: String, _ column: String) -> String { "chk_\(table)_\(column)_not_null" }

    /// Rows a lock-safe backfill changes per transaction: each batch holds its rows' locks only
    /// until it commits, and is short enough to stay under the lock benchmark's budget.
    static let backfillBatchSize = 10_000
    /// The dollar quote of the backfill's `DO` block; a value holding it is backfilled in one `UPDATE`.
    static let backfillQuote = "$backfill$"

    /// The `USING` of a type change both ways, after checking that PostgreSQL can convert the
    /// values: a change it has no automatic cast for needs `using` (an error names the field and
    /// the cast to write); a change that rewrites an existing table is a warning in safe mode.
    mutating func typeCast(_ o: AlterColumn, from: PlanColumn, to: PlanColumn, _ c: SchemaColumn, _ path: String, safe: Bool, up: Bool, down: Bool) -> TypeCast {
        let name = "\(o.table).\(o.column)"
        let oldType = c.sqlType.isEmpty ? from.sqlType : c.sqlType
        if o.using == nil, up {
            error(path + ".type", "PostgreSQL has no automatic cast from \(oldType) to \(to.sqlType), so it cannot change \(name) without USING",
                  "add \"using\" with the SQL that converts each value, e.g. \"using\": \"\(TypeConversion.cast(o.column, from: from.sqlType, to: to.sqlType))\"")
        }
        if safe, TypeConversion.rewrites(from: from.sqlType, to: to.sqlType, using: o.using) {
            warning(path + ".type", "changing \(name) from \(oldType) to \(to.sqlType) rewrites \(o.table) and rebuilds its indexes under an ACCESS EXCLUSIVE lock, which blocks its reads and writes until it is done",
                    "on a large table, add a new column, backfill it and switch to it instead, or run this while the table is quiet; \"safe\": false writes it without this warning")
        }
        // The way back converts with a cast to the old type where PostgreSQL has no automatic one.
        let back = down ? TypeConversion.cast(o.column, from: to.sqlType, to: from.sqlType) : nil
        return TypeCast(using: o.using, reverseUsing: back)
    }

    mutating func alterEnum(_ o: AlterEnum, _ path: String, safe: Bool) -> [PlanStep] {
        guard let t = table(o.table, path + ".table", rebuilds: true), let c = column(t, o.column, path + ".column", rebuilds: true) else { return [] }
        let name = TableDefinition.checkName(table: o.table, column: o.column)
        guard let old = t.checks.first(where: { $0.name == name }), let oldValues = old.values, old.column == o.column else {
            let lists = t.checks.filter { $0.column == o.column && $0.values != nil }.map(\.name)
            error(path + ".column", "\(o.table) has no CHECK \(name) listing the values of \(o.column)",
                  lists.isEmpty ? "use add_check, or create_table's \"enum\", to add one first" : "its values are in \(lists.joined(separator: ", ")), which alter_enum does not rename")
            return []
        }
        let removed = oldValues.filter { !o.values.contains($0) }
        let added = o.values.filter { !oldValues.contains($0) }
        if removed.isEmpty, added.isEmpty, o.values == oldValues, o.defaultValue.map({ SQL.literal($0) == c.serverDefault }) ?? true {
            error(path + ".values", "are the values \(name) allows already (\(oldValues.joined(separator: ", ")))",
                  "add or remove a value; replacing the CHECK with the same list would only lock the table")
        }
        if !added.isEmpty {
            // The downgrade puts the old list back; rows that took a new value by then have nowhere to go.
            warning(path + ".values", "downgrade() restores \(name) without " + added.joined(separator: ", ") + ", so it fails once rows of \(o.table) hold " + (added.count == 1 ? "it" : "them"),
                    "before downgrading, move those rows to an old value (UPDATE \(o.table) SET \(o.column) = ... WHERE \(o.column) IN (" + added.map(SQL.literal).joined(separator: ", ") + "))")
        }
        let mapped = Dictionary(o.map.map { ($0.from, $0.to) }, uniquingKeysWith: { a, _ in a })
        let unplaced = removed.filter { mapped[$0] == nil }
        if !unplaced.isEmpty {
            error(path + ".values", "removes " + unplaced.joined(separator: ", ") + ", which rows of \(o.table) may hold, and \"map\" gives \(unplaced.count == 1 ? "it" : "them") no new value",
                  "add \"map\": {" + unplaced.map { "\"\($0)\": \"\(o.values.first ?? "NEW")\"" }.joined(separator: ", ") + "} with the values those rows get, or keep them in \"values\"")
        }
        for (i, m) in o.map.enumerated() {
            if !oldValues.contains(m.from) {
                error(path + ".map[\(i)]", "\"\(m.from)\" is not one of the values \(name) allows now (\(oldValues.joined(separator: ", ")))", "map only values being removed")
            } else if o.values.contains(m.from) {
                error(path + ".map[\(i)]", "\"\(m.from)\" stays in \"values\", so no row needs to move", "remove it from \"map\", or from \"values\"")
            }
            if !o.values.contains(m.to) {
                error(path + ".map[\(i)]", "\"\(m.to)\" is not one of the new values", "map to one of: " + o.values.joined(separator: ", "))
            }
        }
        if let length = PlanBuilder.specColumn(c)?.length, let longest = o.values.max(by: { $0.count < $1.count }), longest.count > length {
            error(path + ".values", "\(o.column) holds \(length) characters, too few for \"\(longest)\"", "shorten the value, or widen the column first with alter_column")
        }
        if let d = o.defaultValue, !o.values.contains(d) {
            error(path + ".default", "\"\(d)\" is not one of the values", "use one of: " + o.values.joined(separator: ", "))
        }
        let condition = "\(o.column) IN (" + o.values.map(SQL.literal).joined(separator: ",") + ")"
        var steps: [PlanStep] = [.dropConstraint(o.table, .check(name: name, condition: old.condition), safe: safe)]
        for m in o.map where removed.contains(m.from) {
            let update = PlanStep.update(o.table, column: o.column, value: SQL.literal(m.to), condition: "\(o.column) = \(SQL.literal(m.from))")
            // Safe: the rows move after the DROP CONSTRAINT commits, so its ACCESS EXCLUSIVE lock is
            // not held while they are updated (check's backfill-in-transaction).
            steps.append(safe ? .autocommit(update) : update)
        }
        steps += constraint(o.table, .check(name: name, condition: condition), safe: safe)
        if let d = o.defaultValue, c.serverDefault != SQL.literal(d) {
            let from = PlanColumn(c)
            var to = from
            to.serverDefault = SQL.literal(d)
            steps.append(.alterColumn(o.table, from: from, to: to))
        }
        return steps
    }

    mutating func addCheck(_ o: AddCheck, _ path: String, safe: Bool) -> [PlanStep] {
        guard let t = table(o.table, path + ".table") else { return [] }
        if let col = o.column { _ = column(t, col, path + ".column") }
        let name = o.constraintName
        if t.checks.contains(where: { $0.name == name }) {
            error(path + (o.name != nil ? ".name" : ".column"), "\(o.table) has a CHECK \(name) already",
                  o.name != nil ? "choose another name" : "give \"name\" to name this rule chk_\(o.table)_<name>, or use alter_enum to change a value list")
            return []
        }
        return constraint(o.table, .check(name: name, condition: o.expression), safe: safe)
    }

    mutating func createIndex(_ o: CreateIndex, _ path: String, safe: Bool) -> [PlanStep] {
        guard let t = table(o.table, path + ".table") else { return [] }
        for (i, name) in o.columns.enumerated() { _ = column(t, name, path + ".columns[\(i)]") }
        let name = o.indexName
        if let owner = schema.tables.values.first(where: { tb in tb.indexes.contains { $0.name == name } || tb.uniques.contains { $0.name == name } }) {
            error(path + (o.name != nil ? ".name" : ".columns"), "an index or constraint \(name) exists already (on \(owner.name))",
                  o.name != nil ? "choose another name" : "give \"name\" to choose another")
            return []
        }
        var index = PlanIndex(name: name, table: o.table, columns: o.columns, unique: o.unique, predicate: o.predicate)
        index.method = "btree"
        return [.createIndex(index, concurrently: safe)]
    }

    mutating func dropIndex(_ o: DropIndex, _ path: String, safe: Bool) -> [PlanStep] {
        guard let t = table(o.table, path + ".table", rebuilds: true) else { return [] }
        guard let idx = t.indexes.first(where: { $0.name == o.name }) else {
            if t.uniques.contains(where: { $0.name == o.name }) {
                error(path + ".name", "\(o.name) is a unique constraint of \(o.table), not an index", "use {\"drop_constraint\": {\"table\": \"\(o.table)\", \"name\": \"\(o.name)\"}}")
            } else if !schema.isTouchedByRawSQL(o.table) {
                let names = t.indexes.map(\.name)
                error(path + ".name", "\(o.table) has no index \(o.name)", names.isEmpty ? "\(o.table) has no indexes in the history" : "use one of: " + names.joined(separator: ", "))
            } else {
                error(path + ".name", "the history shows no index \(o.name) on \(o.table), but raw SQL changes that table (\(check.locations(o.table))), so the downgrade cannot be rebuilt",
                      "write this change by hand")
            }
            return []
        }
        return [.dropIndex(PlanIndex(idx, table: o.table), concurrently: safe)]
    }

    mutating func addForeignKey(_ o: AddForeignKey, _ path: String, safe: Bool) -> [PlanStep] {
        guard let t = table(o.table, path + ".table") else { return [] }
        // A column only raw SQL shows (a warning) is referenced without the checks below.
        let c = column(t, o.column, path + ".column")
        let name = TableDefinition.foreignKeyName(table: o.table, column: o.column)
        if t.foreignKeys.contains(where: { $0.name == name }) {
            error(path + ".column", "\(o.table) has a foreign key \(name) already", "drop it first with drop_constraint")
            return []
        }
        let ref = o.references
        let rpath = path + ".references"
        guard SpecValidator.isIdentifier(ref.table), SpecValidator.isIdentifier(ref.column) else { return [] }
        if let target = schema.tables[ref.table] {
            if let referenced = target.column(ref.column) {
                if !target.isUniqueKey([ref.column]) {
                    error(rpath + ".column", "\(ref.table).\(ref.column) is neither the primary key nor unique, so PostgreSQL cannot reference it",
                          target.primaryKey.count == 1 ? "reference \(ref.table).\(target.primaryKey[0]) (its primary key)" : "make \(ref.column) unique first")
                }
                if let c, !c.family.isCompatible(with: referenced.family) {
                    error(rpath + ".column", "\(o.column) is \(c.type), but \(ref.table).\(ref.column) is \(referenced.type): the foreign key cannot match",
                          "reference \(c.family.phrase) column, or change \(o.column)'s type first with alter_column")
                }
            } else {
                _ = column(target, ref.column, rpath + ".column")
            }
        } else {
            _ = table(ref.table, rpath + ".table")
        }
        if ref.onDelete == .setNull, c?.nullable == false {
            error(rpath + ".ondelete", "SET NULL needs a nullable column, but \(o.column) is NOT NULL", "use CASCADE or RESTRICT, or make the column nullable first")
        }
        let fk = PlanForeignKey(name: name, columns: [o.column], referencedTable: ref.table, referencedColumns: [ref.column], onDelete: ref.onDelete?.rawValue)
        var steps: [PlanStep] = []
        // The convention's index on every foreign key column, unless one leads with it already.
        if !t.indexes.contains(where: { $0.columns.first == o.column && $0.predicate == nil }) {
            steps.append(.createIndex(PlanIndex(name: TableDefinition.indexName(table: o.table, columns: [o.column]), table: o.table, columns: [o.column]), concurrently: safe))
        }
        return steps + constraint(o.table, .foreignKey(fk), safe: safe)
    }

    mutating func dropConstraint(_ o: DropConstraint, _ path: String, safe: Bool) -> [PlanStep] {
        guard let t = table(o.table, path + ".table", rebuilds: true) else { return [] }
        let found: PlanConstraint
        if let ch = t.checks.first(where: { $0.name == o.name }) {
            found = .check(name: ch.name, condition: ch.condition)
        } else if let u = t.uniques.first(where: { $0.name == o.name }) {
            for (other, fk) in referencing(o.table) where Set(fk.referencedColumns) == Set(u.columns) && !t.isUniqueKeyWithout(o.name, u.columns) {
                error(path + ".name", "\(other).\(fk.name) references \(o.table)(\(u.columns.joined(separator: ", "))), which needs \(o.name)", "drop \(fk.name) first")
            }
            found = .unique(name: u.name, columns: u.columns)
        } else if let fk = t.foreignKeys.first(where: { $0.name == o.name }) {
            found = .foreignKey(PlanForeignKey(fk))
        } else {
            if t.primaryKeyName == o.name {
                error(path + ".name", "\(o.name) is \(o.table)'s primary key", "dropping a primary key is not supported")
            } else if t.indexes.contains(where: { $0.name == o.name }) {
                error(path + ".name", "\(o.name) is an index of \(o.table), not a constraint", "use {\"drop_index\": {\"table\": \"\(o.table)\", \"name\": \"\(o.name)\"}}")
            } else if schema.isTouchedByRawSQL(o.table) {
                error(path + ".name", "the history shows no constraint \(o.name) on \(o.table), but raw SQL changes that table (\(check.locations(o.table))), so the downgrade cannot be rebuilt",
                      "write this change by hand")
            } else {
                let names = t.checks.map(\.name) + t.uniques.map(\.name) + t.foreignKeys.map(\.name)
                error(path + ".name", "\(o.table) has no constraint \(o.name)", names.isEmpty ? "\(o.table) has no named constraints in the history" : "use one of: " + names.joined(separator: ", "))
            }
            return []
        }
        return [.dropConstraint(o.table, found, safe: safe)]
    }

    mutating func renameTable(_ o: RenameTable, _ path: String) -> [PlanStep] {
        guard table(o.table, path + ".table") != nil else { return [] }
        if schema.tables[o.to] != nil {
            error(path + ".to", "\(o.to) exists already", "choose another name")
            return []
        }
        return [.renameTable(o.table, to: o.to)]
    }

    mutating func dropTable(_ o: DropTable, _ path: String) -> [PlanStep] {
        guard let t = table(o.table, path + ".table", rebuilds: true) else { return [] }
        for (other, fk) in referencing(o.table) {
            error(path + ".table", "\(other).\(fk.columns.joined(separator: ", ")) references \(o.table) (\(fk.name))",
                  "drop that foreign key first: an earlier {\"drop_constraint\": {\"table\": \"\(other)\", \"name\": \"\(fk.name)\"}}")
        }
        return [.dropTable(PlanTable(t))]
    }

    // MARK: - Types

    /// The spec column a history column amounts to, when its type is one the spec has.
    static func specColumn(_ c: SchemaColumn) -> Column? {
        let t = c.sqlType
        func number(_ prefix: String) -> [Int] {
            t.dropFirst(prefix.count).split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        }
        switch t {
        case "uuid": return Column(name: c.name, type: .uuid)
        case "text": return Column(name: c.name, type: .text)
        case "integer": return Column(name: c.name, type: .integer)
        case "bigint": return Column(name: c.name, type: .bigint)
        case "smallint": return Column(name: c.name, type: .smallint)
        case "double precision", "real": return Column(name: c.name, type: .float)
        case "boolean": return Column(name: c.name, type: .boolean)
        case "date": return Column(name: c.name, type: .date)
        case "timestamp with time zone": return Column(name: c.name, type: .datetime)
        case "jsonb": return Column(name: c.name, type: .jsonb)
        case "json": return Column(name: c.name, type: .json)
        case "numeric": return Column(name: c.name, type: .numeric)
        default:
            if t.hasPrefix("character varying") { return Column(name: c.name, type: .string, length: number("character varying").first ?? 10_485_760) }
            if t.hasPrefix("numeric(") {
                let n = number("numeric")
                return Column(name: c.name, type: .numeric, precision: n.first, scale: n.count > 1 ? n[1] : 0)
            }
            return nil
        }
    }

    /// A default to suggest for a NOT NULL column of `type`, as spec JSON.
    static func exampleDefault(_ type: ColumnType) -> String {
        switch type {
        case .uuid: return "{\"sql\": \"gen_random_uuid()\"}"
        case .string, .text: return "\"\""
        case .integer, .bigint, .smallint, .numeric, .float: return "0"
        case .boolean: return "false"
        case .date, .datetime: return "\"now\""
        case .jsonb, .json: return "{}"
        }
    }
}

extension SchemaTable {
    /// Whether `columns` stay a unique key once the constraint `name` is gone.
    func isUniqueKeyWithout(_ name: String, _ columns: [String]) -> Bool {
        var t = self
        t.uniques.removeAll { $0.name == name }
        return t.isUniqueKey(columns)
    }
}
