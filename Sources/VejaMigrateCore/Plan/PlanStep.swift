/// One change a migration makes, as data: what `upgrade()` runs, what `--sql` shows, and what the
/// replay applies to the schema. Each step knows its exact inverse (like Alembic's
/// `MigrateOperation.reverse()`), so `downgrade()` is the upgrade's steps inverted in reverse order.
public indirect enum PlanStep: Equatable, Sendable {
    case createTable(PlanTable)
    /// Drops the table; its inverse rebuilds it whole (columns, keys, constraints, indexes).
    case dropTable(PlanTable)
    case renameTable(String, to: String)
    case addColumn(String, PlanColumn)
    /// Drops the column; its inverse adds it back as it was.
    case dropColumn(String, PlanColumn)
    case renameColumn(String, String, to: String)
    /// Changes type, nullability or default from one state of the column to another.
    case alterColumn(String, from: PlanColumn, to: PlanColumn)
    /// `concurrently`: built `CONCURRENTLY` outside the transaction (Alembic's `autocommit_block`).
    case createIndex(PlanIndex, concurrently: Bool)
    case dropIndex(PlanIndex, concurrently: Bool)
    /// `notValid`: added `NOT VALID` (checks and foreign keys), validated by a later step.
    case addConstraint(String, PlanConstraint, notValid: Bool)
    /// `safe`: the inverse adds the constraint back `NOT VALID`, then validates it.
    case dropConstraint(String, PlanConstraint, safe: Bool)
    /// `ALTER TABLE .. VALIDATE CONSTRAINT` (PostgreSQL only); `referencing`: a foreign key's table.
    case validateConstraint(String, name: String, referencing: String?)
    /// A data change: `UPDATE table SET column = value WHERE condition`. Data is not restored.
    case update(String, column: String, value: String, condition: String)
    /// A step of a recipe that runs on PostgreSQL only and leaves nothing behind (the NOT NULL check).
    case postgresOnly(PlanStep)
    /// A step that runs outside the migration's transaction (Alembic's `autocommit_block`): what came
    /// before it is committed first, so its locks are not held while this step works (a backfill).
    case autocommit(PlanStep)

    /// The steps that undo this one, in the order they run.
    public var inverse: [PlanStep] {
        switch self {
        case .createTable(let t): return [.dropTable(t)]
        case .dropTable(let t): return [.createTable(t)]
        case .renameTable(let a, let b): return [.renameTable(b, to: a)]
        case .addColumn(let t, let c): return [.dropColumn(t, c)]
        case .dropColumn(let t, let c): return [.addColumn(t, c)]
        case .renameColumn(let t, let a, let b): return [.renameColumn(t, b, to: a)]
        case .alterColumn(let t, let from, let to): return [.alterColumn(t, from: to, to: from)]
        case .createIndex(let i, let c): return [.dropIndex(i, concurrently: c)]
        case .dropIndex(let i, let c): return [.createIndex(i, concurrently: c)]
        case .addConstraint(let t, let c, let notValid): return [.dropConstraint(t, c, safe: notValid)]
        case .dropConstraint(let t, let c, let safe):
            guard safe, c.canBeNotValid else { return [.addConstraint(t, c, notValid: false)] }
            return [.addConstraint(t, c, notValid: true), .validate(t, c)]
        case .validateConstraint, .update, .postgresOnly, .autocommit: return []
        }
    }

    /// The validation that follows a constraint added `NOT VALID`.
    static func validate(_ table: String, _ c: PlanConstraint) -> PlanStep {
        if case .foreignKey(let fk) = c { return .validateConstraint(table, name: fk.name, referencing: fk.referencedTable) }
        return .validateConstraint(table, name: c.name, referencing: nil)
    }

    /// The table the step works on.
    public var table: String {
        switch self {
        case .createTable(let t), .dropTable(let t): return t.name
        case .renameTable(let t, _), .addColumn(let t, _), .dropColumn(let t, _), .renameColumn(let t, _, _), .alterColumn(let t, _, _),
             .addConstraint(let t, _, _), .dropConstraint(let t, _, _), .validateConstraint(let t, _, _), .update(let t, _, _, _):
            return t
        case .createIndex(let i, _), .dropIndex(let i, _): return i.table
        case .postgresOnly(let s), .autocommit(let s): return s.table
        }
    }

    /// The locks PostgreSQL takes for the step, strongest first (docs: postgres-locks.md).
    public var locks: [(mode: String, table: String)] {
        switch self {
        case .createTable(let t):
            // A new table's foreign keys lock the tables they reference against writes, briefly.
            var seen = Set<String>()
            return t.foreignKeys.map(\.referencedTable).filter { $0 != t.name && seen.insert($0).inserted }.map { ("SHARE ROW EXCLUSIVE", $0) }
        case .dropTable(let t): return [("ACCESS EXCLUSIVE", t.name)]
        case .renameTable(let t, _): return [("ACCESS EXCLUSIVE", t)]
        case .addColumn(let t, _), .dropColumn(let t, _), .renameColumn(let t, _, _), .alterColumn(let t, _, _):
            return [("ACCESS EXCLUSIVE", t)]
        case .dropConstraint(let t, let c, _):
            if case .foreignKey(let fk) = c, fk.referencedTable != t { return [("ACCESS EXCLUSIVE", t), ("SHARE ROW EXCLUSIVE", fk.referencedTable)] }
            return [("ACCESS EXCLUSIVE", t)]
        case .createIndex(let i, let concurrently): return [(concurrently ? "SHARE UPDATE EXCLUSIVE" : "SHARE", i.table)]
        case .dropIndex(let i, let concurrently): return [(concurrently ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE", i.table)]
        case .addConstraint(let t, let c, _):
            if case .foreignKey(let fk) = c {
                return fk.referencedTable == t ? [("SHARE ROW EXCLUSIVE", t)] : [("SHARE ROW EXCLUSIVE", t), ("SHARE ROW EXCLUSIVE", fk.referencedTable)]
            }
            return [("ACCESS EXCLUSIVE", t)]
        case .validateConstraint(let t, _, let referencing):
            guard let r = referencing, r != t else { return [("SHARE UPDATE EXCLUSIVE", t)] }
            return [("SHARE UPDATE EXCLUSIVE", t), ("ROW SHARE", r)]
        case .update(let t, _, _, _): return [("ROW EXCLUSIVE", t)]
        case .postgresOnly(let s), .autocommit(let s): return s.locks
        }
    }

    /// What the step does to the schema, for replaying a plan onto the history's schema.
    var schemaChanges: [SchemaChange] {
        switch self {
        case .createTable(let t): return [.createTable(t.schemaTable)]
        case .dropTable(let t): return [.dropTable(t.name)]
        case .renameTable(let a, let b): return [.renameTable(a, to: b)]
        case .addColumn(let t, let c):
            var fragment = SchemaTable(name: t)
            fragment.columns = [c.schemaColumn]
            return [.addColumns(t, fragment)]
        case .dropColumn(let t, let c): return [.dropColumn(t, c.name)]
        case .renameColumn(let t, let a, let b): return [.alterColumn(t, a, ColumnAlteration(newName: b))]
        case .alterColumn(let t, let from, let to):
            return [.alterColumn(t, from.name, ColumnAlteration(
                nullable: from.nullable != to.nullable ? to.nullable : nil,
                serverDefault: from.serverDefault != to.serverDefault ? .some(to.serverDefault) : nil,
                type: from.pythonType != to.pythonType ? to.pythonType : nil))]
        case .createIndex(let i, _): return [.createIndex(i.table, i.schemaIndex)]
        case .dropIndex(let i, _): return [.dropIndex(i.name, table: i.table)]
        case .addConstraint(let t, let c, let notValid):
            switch c {
            case .check(let name, let condition): return [.addCheck(t, SchemaCheck(name: name, condition: condition, validated: !notValid))]
            case .unique(let name, let columns): return [.addUnique(t, SchemaUnique(name: name, columns: columns))]
            case .foreignKey(let fk):
                var s = fk.schemaForeignKey
                s.validated = !notValid
                return [.addForeignKey(t, s)]
            }
        case .dropConstraint(let t, let c, _): return [.dropConstraint(t, name: c.name, type: c.alembicType)]
        case .validateConstraint(let t, let name, _): return [.validateConstraint(t, name: name)]
        case .update: return []
        case .postgresOnly(let s), .autocommit(let s): return s.schemaChanges
        }
    }
}

extension PlanConstraint {
    /// Checks and foreign keys can be added `NOT VALID`; unique constraints cannot.
    var canBeNotValid: Bool {
        if case .unique = self { return false }
        return true
    }
}
