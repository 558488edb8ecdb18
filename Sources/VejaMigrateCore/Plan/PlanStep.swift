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
    /// Changes type, nullability or default from one state of the column to another; `cast` holds
    /// the `USING` of a type change in each direction (none: PostgreSQL converts the values itself).
    case alterColumn(String, from: PlanColumn, to: PlanColumn, cast: TypeCast = TypeCast())
    /// `concurrently`: built `CONCURRENTLY` outside the transaction (Alembic's `autocommit_block`).
    case createIndex(PlanIndex, concurrently: Bool)
    case dropIndex(PlanIndex, concurrently: Bool)
    /// `notValid`: added `NOT VALID` (checks and foreign keys), validated by a later step.
    case addConstraint(String, PlanConstraint, notValid: Bool)
    /// Makes the unique index of the same name (built `CONCURRENTLY` by the step before, on
    /// PostgreSQL) the table's unique constraint: `ADD CONSTRAINT .. UNIQUE USING INDEX`, catalogue
    /// only. Other databases add the constraint itself (batch mode on SQLite).
    case attachUniqueIndex(String, name: String, columns: [String])
    /// `safe`: the inverse adds the constraint back `NOT VALID`, then validates it (a unique
    /// constraint: its index built `CONCURRENTLY`, then attached).
    case dropConstraint(String, PlanConstraint, safe: Bool)
    /// `ALTER TABLE .. VALIDATE CONSTRAINT` (PostgreSQL only); `referencing`: a foreign key's table.
    case validateConstraint(String, name: String, referencing: String?)
    /// A data change: `UPDATE table SET column = value WHERE condition`. Data is not restored.
    case update(String, column: String, value: String, condition: String)
    /// The NOT NULL backfill of a table that existed: `value` into the rows where `column` is NULL,
    /// `batchSize` rows per transaction on PostgreSQL (a `DO` block that commits each batch, run
    /// outside the migration's transaction), so no statement holds every row's lock; one `UPDATE`
    /// elsewhere. Data is not restored.
    case backfill(String, column: String, value: String, batchSize: Int)
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
        case .alterColumn(let t, let from, let to, let cast): return [.alterColumn(t, from: to, to: from, cast: cast.inverted)]
        case .createIndex(let i, let c): return [.dropIndex(i, concurrently: c)]
        case .dropIndex(let i, let c): return [.createIndex(i, concurrently: c)]
        case .addConstraint(let t, let c, let notValid): return [.dropConstraint(t, c, safe: notValid)]
        case .attachUniqueIndex(let t, let name, let columns): return [.dropConstraint(t, .unique(name: name, columns: columns), safe: true)]
        case .dropConstraint(let t, let c, let safe):
            if safe, case .unique(let name, let columns) = c { return PlanStep.addUnique(t, name: name, columns: columns, safe: true) }
            guard safe, c.canBeNotValid else { return [.addConstraint(t, c, notValid: false)] }
            return [.addConstraint(t, c, notValid: true), .validate(t, c)]
        case .validateConstraint, .update, .backfill, .postgresOnly, .autocommit: return []
        }
    }

    /// A unique constraint added to a table: when `safe`, its index is built `CONCURRENTLY` first
    /// (SHARE UPDATE EXCLUSIVE: writes go on) and then attached, so the ACCESS EXCLUSIVE lock of
    /// `ADD CONSTRAINT` covers no scan (docs: postgres-locks.md).
    static func addUnique(_ table: String, name: String, columns: [String], safe: Bool) -> [PlanStep] {
        let constraint = PlanConstraint.unique(name: name, columns: columns)
        guard safe else { return [.addConstraint(table, constraint, notValid: false)] }
        let index = PlanIndex(name: name, table: table, columns: columns, unique: true)
        return [.postgresOnly(.autocommit(.createIndex(index, concurrently: true))), .attachUniqueIndex(table, name: name, columns: columns)]
    }

    /// Whether PostgreSQL rewrites the whole table (and rebuilds its indexes) for this step: a
    /// type change that is not binary-coercible (`TypeConversion.rewrites`).
    public var rewritesTable: Bool {
        switch self {
        case .alterColumn(_, let from, let to, let cast): return from.sqlType != to.sqlType && TypeConversion.rewrites(from: from.sqlType, to: to.sqlType, using: cast.using)
        case .postgresOnly(let s), .autocommit(let s): return s.rewritesTable
        default: return false
        }
    }

    /// Whether the step's ACCESS EXCLUSIVE lock covers only a change to the catalogue: a nullable
    /// column added without a default (and not serial or identity) reads and writes no row, so the
    /// lock is held for an instant (docs/spec.md, Lock-safe forms). Safe mode has no weaker form of it.
    public var catalogOnly: Bool {
        switch self {
        case .addColumn(_, let c): return c.nullable && c.serverDefault == nil && !c.autoincrement && c.identity == nil
        case .postgresOnly(let s), .autocommit(let s): return s.catalogOnly
        default: return false
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
        case .renameTable(let t, _), .addColumn(let t, _), .dropColumn(let t, _), .renameColumn(let t, _, _), .alterColumn(let t, _, _, _),
             .addConstraint(let t, _, _), .attachUniqueIndex(let t, _, _), .dropConstraint(let t, _, _), .validateConstraint(let t, _, _),
             .update(let t, _, _, _), .backfill(let t, _, _, _):
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
        case .addColumn(let t, _), .dropColumn(let t, _), .renameColumn(let t, _, _), .alterColumn(let t, _, _, _), .attachUniqueIndex(let t, _, _):
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
        case .update(let t, _, _, _), .backfill(let t, _, _, _): return [("ROW EXCLUSIVE", t)]
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
        case .alterColumn(let t, let from, let to, _):
            return [.alterColumn(t, from.name, ColumnAlteration(
                nullable: from.nullable != to.nullable ? to.nullable : nil,
                serverDefault: from.serverDefault != to.serverDefault ? .some(to.serverDefault) : nil,
                type: from.pythonType != to.pythonType ? to.pythonType : nil))]
        case .attachUniqueIndex(let t, let name, _): return [.constraintFromIndex(t, name: name, index: name, primary: false)]
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
        case .update, .backfill: return []
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

/// The `USING` expressions of a type change: `using` converts the values on the way up,
/// `reverseUsing` on the way back (nil where PostgreSQL has an automatic cast).
public struct TypeCast: Equatable, Sendable {
    public var using: String?
    public var reverseUsing: String?

    public init(using: String? = nil, reverseUsing: String? = nil) {
        self.using = using
        self.reverseUsing = reverseUsing
    }

    /// The same change run the other way.
    var inverted: TypeCast { TypeCast(using: reverseUsing, reverseUsing: using) }
}
