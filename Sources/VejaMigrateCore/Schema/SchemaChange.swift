/// One schema change read from an `upgrade()`, with every name resolved: what the
/// replay applies. Reading (per file, in parallel) and applying (in revision order)
/// are separate so a large history reads on all cores.
enum SchemaChange: Equatable, Sendable {
    case createTable(SchemaTable)
    case dropTable(String)
    case renameTable(String, to: String)
    /// Columns and the constraints and indexes they bring, as a table fragment.
    case addColumns(String, SchemaTable)
    case dropColumn(String, String)
    case alterColumn(String, String, ColumnAlteration)
    case createIndex(String, SchemaIndex)
    case dropIndex(String, table: String?)
    case addCheck(String, SchemaCheck)
    case addForeignKey(String, SchemaForeignKey)
    case addUnique(String, SchemaUnique)
    case addPrimaryKey(String, name: String, columns: [String])
    /// `type_` as Alembic names it: `foreignkey`, `unique`, `check`, `primary`, or nil for any.
    case dropConstraint(String, name: String, type: String?)
    /// `ALTER TABLE t VALIDATE CONSTRAINT c`.
    case validateConstraint(String, name: String)
    /// `ALTER INDEX i RENAME TO j`.
    case renameIndex(String, to: String)
    /// `ALTER TABLE t RENAME CONSTRAINT c TO d`.
    case renameConstraint(String, name: String, to: String)
    /// `ALTER TABLE t ADD CONSTRAINT c UNIQUE/PRIMARY KEY USING INDEX i`: the index becomes the constraint's, named after it.
    case constraintFromIndex(String, name: String, index: String, primary: Bool)
    /// PostgreSQL enum types.
    case createEnum(String, [String])
    case addEnumValue(String, value: String, neighbor: String?, after: Bool)
    case renameEnumValue(String, from: String, to: String)
    case renameEnum(String, to: String)
    case dropEnum(String)
    /// Changes that run only when `condition` holds (`then`) or does not (`else`), decided against the
    /// schema as it stands when the replay reaches them: `IF NOT EXISTS`, "if the column is missing" guards.
    indirect case guarded(SchemaCondition, then: [SchemaChange] = [], else: [SchemaChange] = [])
    /// What `DROP ... CASCADE` takes with it: the columns of a dropped enum type, the foreign keys
    /// that referenced a dropped table.
    case cascade(CascadeTarget)
    /// Not read: what it is, the tables it names, and why (the parser's message for SQL that does not parse).
    case opaque(String, [RawSQL.Mention], error: String? = nil)
    /// SQL that changes rows and no shape (`UPDATE`, `INSERT`, `DELETE`, `MERGE`, a `DO` block of
    /// them): the verb and the table when it is known. The replay ignores it; `check` reads it.
    case data(String, table: String?)
    /// `BEGIN`, `COMMIT`, `ROLLBACK`... sent by the migration itself: the verb. The replay ignores it.
    case transaction(String)
}

enum CascadeTarget: Equatable, Sendable {
    case table(String)
    case enumType(String)
}

/// A fact about the schema at one point of the replay, for `SchemaChange.guarded`.
indirect enum SchemaCondition: Equatable, Sendable {
    case tableExists(String)
    case columnExists(String, String)
    case indexExists(String)
    /// An index of that name on that table (`insp.get_indexes(t)`, `insp.has_index(t, i)`).
    case indexOnTable(String, String)
    case constraintExists(String, String)
    case enumExists(String)
    case not(SchemaCondition)
    case all([SchemaCondition])
    case any([SchemaCondition])
}

/// `alter_column`'s changes; nil fields stay as they are.
struct ColumnAlteration: Equatable, Sendable {
    var nullable: Bool?
    /// `.some(nil)` drops the default.
    var serverDefault: String??
    var type: String?
    var newName: String?
    /// PostgreSQL's name of the new type, when SQL gave it; otherwise the replay derives it from `type`.
    var sqlType: String?
    /// `.some(nil)` drops the identity.
    var identity: String??

    init(nullable: Bool? = nil, serverDefault: String?? = nil, type: String? = nil, newName: String? = nil, sqlType: String? = nil, identity: String?? = nil) {
        self.nullable = nullable
        self.serverDefault = serverDefault
        self.type = type
        self.newName = newName
        self.sqlType = sqlType
        self.identity = identity
    }
}

struct LocatedChange: Equatable, Sendable {
    var line: Int
    var change: SchemaChange
    /// How the statement runs, as the file says: what lock rules need beyond the change itself.
    var facts: ChangeFacts = []
}

/// How a change runs: facts the reader records where it reads the statement (and the cache stores).
struct ChangeFacts: OptionSet, Equatable, Hashable, Sendable {
    let rawValue: UInt8
    /// `postgresql_concurrently=True`, `CREATE / DROP INDEX CONCURRENTLY`.
    static let concurrently = ChangeFacts(rawValue: 1)
    /// Inside `with op.get_context().autocommit_block():`, outside the migration's transaction.
    static let autocommit = ChangeFacts(rawValue: 2)
    /// Read from SQL the migration executes, not from an Alembic operation.
    static let sql = ChangeFacts(rawValue: 4)
}

extension HistorySchema {
    /// Applies one change read from `file`.
    mutating func apply(_ located: LocatedChange, file: String) {
        let line = located.line
        func note(_ text: String) { notes.append("\(file):\(line): \(text)") }
        switch located.change {
        case .createTable(var t):
            if let old = tables[t.name] {
                note("create_table \(t.name): the table exists already" + (old.createdIn.map { " (created in \($0))" } ?? ""))
                removeTable(t.name)
            }
            t.createdIn = file
            for i in t.columns.indices where t.columns[i].type.isEmpty {
                if let (type, sqlType) = typeFromForeignKey(t, column: t.columns[i].name) {
                    t.columns[i].type = type
                    t.columns[i].sqlType = sqlType
                }
            }
            t.foreignKeys = t.foreignKeys.map { resolvedReference($0, in: t) }
            insertTable(t)
        case .dropTable(let name):
            if tables[name] == nil {
                note("drop_table \(name): no such table in the history")
            } else {
                removeTable(name)
            }
        case .renameTable(let old, let new):
            guard var t = tables[old] else {
                note("rename_table \(old): no such table in the history")
                return
            }
            removeTable(old)
            t.name = new
            for i in t.foreignKeys.indices where t.foreignKeys[i].referencedTable == old {
                t.foreignKeys[i].referencedTable = new
            }
            insertTable(t)
            for other in referencedBy[old] ?? [] where other != old {
                guard tables[other] != nil else { continue }
                for i in tables[other]!.foreignKeys.indices where tables[other]!.foreignKeys[i].referencedTable == old {
                    tables[other]!.foreignKeys[i].referencedTable = new
                }
                referencedBy[new, default: []].insert(other)
            }
            referencedBy[old] = nil
        case .addColumns(let name, let fragment):
            if ensureTable(name) { note("\(name) is changed here but no migration creates it") }
            for var c in fragment.columns {
                if c.type.isEmpty, let (type, sqlType) = typeFromForeignKey(fragment, column: c.name) {
                    c.type = type
                    c.sqlType = sqlType
                }
                if let i = tables[name]!.columnIndex(c.name) {
                    note("add_column \(name).\(c.name): the column exists already")
                    tables[name]!.columns[i] = c
                } else {
                    tables[name]!.columns.append(c)
                }
            }
            if !fragment.primaryKey.isEmpty {
                tables[name]!.primaryKey += fragment.primaryKey
                tables[name]!.primaryKeyName = tables[name]!.primaryKeyName ?? fragment.primaryKeyName
            }
            for c in fragment.checks { addCheck(name, c) }
            for u in fragment.uniques { addUnique(name, u) }
            for fk in fragment.foreignKeys { addForeignKey(name, resolvedReference(fk, in: tables[name]!)) }
            for idx in fragment.indexes { addIndex(name, idx) }
        case .dropColumn(let name, let column):
            guard tables[name] != nil else {
                note("drop_column \(name).\(column): no such table in the history")
                return
            }
            guard tables[name]!.columnIndex(column) != nil else {
                if !tables[name]!.partial { note("drop_column \(name).\(column): no such column in the history") }
                return
            }
            dropColumn(name, column)
        case .alterColumn(let name, let column, let change):
            guard tables[name] != nil else {
                note("alter_column \(name).\(column): no such table in the history")
                return
            }
            guard let i = tables[name]!.columnIndex(column) else {
                if !tables[name]!.partial { note("alter_column \(name).\(column): no such column in the history") }
                return
            }
            if let n = change.nullable { tables[name]!.columns[i].nullable = n }
            if let d = change.serverDefault { tables[name]!.columns[i].serverDefault = d }
            if let t = change.type {
                tables[name]!.columns[i].type = t
                tables[name]!.columns[i].sqlType = change.sqlType ?? SQLTypes.sqlType(ofSQLAlchemy: t)
            }
            if let identity = change.identity { tables[name]!.columns[i].identity = identity }
            if let new = change.newName, new != column { renameColumn(name, column, to: new) }
        case .createIndex(let name, let index):
            if ensureTable(name) { note("\(name) is changed here but no migration creates it") }
            addIndex(name, index)
        case .dropIndex(let indexName, let table):
            guard let owner = table ?? indexOwner[indexName], tables[owner] != nil,
                  let i = tables[owner]!.indexes.firstIndex(where: { $0.name == indexName })
            else {
                if table.map({ tables[$0]?.partial != true && !isTouchedByRawSQL($0) }) ?? true {
                    note("drop_index \(indexName): no such index in the history")
                }
                return
            }
            tables[owner]!.indexes.remove(at: i)
            indexOwner[indexName] = nil
        case .addCheck(let name, let check):
            if ensureTable(name) { note("\(name) is changed here but no migration creates it") }
            addCheck(name, check)
        case .addForeignKey(let name, let fk):
            if ensureTable(name) { note("\(name) is changed here but no migration creates it") }
            addForeignKey(name, fk)
        case .addUnique(let name, let u):
            if ensureTable(name) { note("\(name) is changed here but no migration creates it") }
            addUnique(name, u)
        case .addPrimaryKey(let name, let constraint, let columns):
            if ensureTable(name) { note("\(name) is changed here but no migration creates it") }
            tables[name]!.primaryKey = columns
            tables[name]!.primaryKeyName = constraint
            for c in columns {
                if let i = tables[name]!.columnIndex(c) { tables[name]!.columns[i].nullable = false }
            }
        case .dropConstraint(let name, let constraint, let type):
            guard tables[name] != nil else {
                note("drop_constraint \(constraint) on \(name): no such table in the history")
                return
            }
            var found = false
            if type == nil || type == "foreignkey" {
                let before = tables[name]!.foreignKeys.count
                tables[name]!.foreignKeys.removeAll { $0.name == constraint }
                found = found || before != tables[name]!.foreignKeys.count
            }
            if type == nil || type == "unique" {
                let before = tables[name]!.uniques.count
                tables[name]!.uniques.removeAll { $0.name == constraint }
                found = found || before != tables[name]!.uniques.count
            }
            if type == nil || type == "check" {
                let before = tables[name]!.checks.count
                tables[name]!.checks.removeAll { $0.name == constraint }
                found = found || before != tables[name]!.checks.count
            }
            if type == nil || type == "primary", tables[name]!.primaryKeyName == constraint || (type == "primary" && !tables[name]!.primaryKey.isEmpty) {
                tables[name]!.primaryKey = []
                tables[name]!.primaryKeyName = nil
                found = true
            }
            if !found, !tables[name]!.partial, !isTouchedByRawSQL(name) {
                note("drop_constraint \(constraint) on \(name): no such constraint in the history")
            }
        case .validateConstraint(let name, let constraint):
            guard tables[name] != nil else { return note("VALIDATE CONSTRAINT \(constraint) on \(name): no such table in the history") }
            var found = false
            for i in tables[name]!.checks.indices where tables[name]!.checks[i].name == constraint {
                tables[name]!.checks[i].validated = true
                found = true
            }
            for i in tables[name]!.foreignKeys.indices where tables[name]!.foreignKeys[i].name == constraint {
                tables[name]!.foreignKeys[i].validated = true
                found = true
            }
            if !found, !tables[name]!.partial, !isTouchedByRawSQL(name) {
                note("VALIDATE CONSTRAINT \(constraint) on \(name): no such constraint in the history")
            }
        case .renameIndex(let old, let new):
            guard let owner = indexOwner[old], let i = tables[owner]?.indexes.firstIndex(where: { $0.name == old }) else {
                // The index behind a unique or primary key constraint is renamed with it.
                for (t, table) in tables {
                    if let u = table.uniques.firstIndex(where: { $0.name == old }) { tables[t]!.uniques[u].name = new; return }
                    if table.primaryKeyName == old { tables[t]!.primaryKeyName = new; return }
                }
                return note("ALTER INDEX \(old) RENAME: no such index in the history")
            }
            tables[owner]!.indexes[i].name = new
            indexOwner[old] = nil
            indexOwner[new] = owner
        case .renameConstraint(let name, let old, let new):
            guard var t = tables[name] else { return note("RENAME CONSTRAINT \(old) on \(name): no such table in the history") }
            var found = false
            for i in t.checks.indices where t.checks[i].name == old { t.checks[i].name = new; found = true }
            for i in t.uniques.indices where t.uniques[i].name == old { t.uniques[i].name = new; found = true }
            for i in t.foreignKeys.indices where t.foreignKeys[i].name == old { t.foreignKeys[i].name = new; found = true }
            if t.primaryKeyName == old { t.primaryKeyName = new; found = true }
            tables[name] = t
            if !found, !t.partial, !isTouchedByRawSQL(name) { note("RENAME CONSTRAINT \(old) on \(name): no such constraint in the history") }
        case .constraintFromIndex(let name, let constraint, let index, let primary):
            guard tables[name] != nil, let i = tables[name]!.indexes.firstIndex(where: { $0.name == index }) else {
                return note("ADD CONSTRAINT \(constraint) USING INDEX \(index): no such index on \(name) in the history")
            }
            let idx = tables[name]!.indexes.remove(at: i)
            indexOwner[index] = nil
            if primary {
                tables[name]!.primaryKey = idx.columns
                tables[name]!.primaryKeyName = constraint
                for c in idx.columns { if let k = tables[name]!.columnIndex(c) { tables[name]!.columns[k].nullable = false } }
            } else {
                addUnique(name, SchemaUnique(name: constraint, columns: idx.columns))
            }
        case .createEnum(let name, let values):
            if enums[name] != nil { note("CREATE TYPE \(name): the type exists already") }
            enums[name] = values
        case .addEnumValue(let name, let value, let neighbor, let after):
            guard var values = enums[name] else { return note("ALTER TYPE \(name) ADD VALUE: no such type in the history") }
            if values.contains(value) { return }
            if let neighbor, let k = values.firstIndex(of: neighbor) {
                values.insert(value, at: after ? k + 1 : k)
            } else {
                values.append(value)
            }
            enums[name] = values
        case .renameEnumValue(let name, let old, let new):
            guard let k = enums[name]?.firstIndex(of: old) else { return note("ALTER TYPE \(name) RENAME VALUE \(old): no such value in the history") }
            enums[name]![k] = new
        case .renameEnum(let old, let new):
            guard let values = enums.removeValue(forKey: old) else { return note("ALTER TYPE \(old) RENAME: no such type in the history") }
            enums[new] = values
            for (t, table) in tables {
                for i in table.columns.indices where table.columns[i].sqlType == old { tables[t]!.columns[i].sqlType = new }
            }
        case .dropEnum(let name):
            if enums.removeValue(forKey: name) == nil { note("DROP TYPE \(name): no such type in the history") }
        case .cascade(.table(let name)):
            for (t, table) in tables where table.foreignKeys.contains(where: { $0.referencedTable == name }) {
                tables[t]!.foreignKeys.removeAll { $0.referencedTable == name }
            }
        case .cascade(.enumType(let name)):
            for (t, table) in tables {
                for c in table.columns where c.sqlType == name || c.sqlType == name + "[]" { dropColumn(t, c.name) }
            }
        case .guarded(let condition, let then, let otherwise):
            for change in holds(condition) ? then : otherwise {
                apply(LocatedChange(line: line, change: change, facts: located.facts), file: file)
            }
        case .opaque(let what, let mentions, let error):
            var names: [String] = []
            for m in mentions {
                if !names.contains(m.table) { names.append(m.table) }
                rawSQL[m.table, default: []].append(RawSQLTouch(file: file, line: line, kind: m.kind))
            }
            opaque.append(OpaqueOperation(file: file, line: line, what: what, tables: names, error: error))
        case .data, .transaction:
            break
        }
    }

    /// Whether `condition` holds in the schema as it stands.
    func holds(_ condition: SchemaCondition) -> Bool {
        switch condition {
        case .tableExists(let t): return tables[t] != nil
        case .columnExists(let t, let c): return tables[t]?.column(c) != nil
        case .indexExists(let i):
            if indexOwner[i] != nil { return true }
            return tables.values.contains { $0.uniques.contains { $0.name == i } || $0.primaryKeyName == i }
        case .indexOnTable(let t, let i): return tables[t]?.indexes.contains { $0.name == i } ?? false
        case .constraintExists(let t, let c):
            guard let table = tables[t] else { return false }
            return table.primaryKeyName == c || table.checks.contains { $0.name == c } || table.uniques.contains { $0.name == c }
                || table.foreignKeys.contains { $0.name == c }
        case .enumExists(let e): return enums[e] != nil
        case .not(let c): return !holds(c)
        case .all(let cs): return cs.allSatisfy(holds)
        case .any(let cs): return cs.contains(where: holds)
        }
    }

    /// A foreign key written without its referenced columns (`REFERENCES users`) references the primary key.
    private func resolvedReference(_ fk: SchemaForeignKey, in table: SchemaTable) -> SchemaForeignKey {
        guard fk.referencedColumns.isEmpty else { return fk }
        var resolved = fk
        resolved.referencedColumns = (fk.referencedTable == table.name ? table : tables[fk.referencedTable])?.primaryKey ?? []
        return resolved
    }

    /// A table the history never created readably, made so later operations have somewhere to go.
    /// True when the table was missing and nothing unreadable named it before.
    private mutating func ensureTable(_ name: String) -> Bool {
        guard tables[name] == nil else { return false }
        var t = SchemaTable(name: name)
        t.partial = true
        tables[name] = t
        return !isTouchedByRawSQL(name)
    }

    private mutating func insertTable(_ t: SchemaTable) {
        tables[t.name] = t
        for idx in t.indexes { indexOwner[idx.name] = t.name }
        for fk in t.foreignKeys { referencedBy[fk.referencedTable, default: []].insert(t.name) }
    }

    private mutating func removeTable(_ name: String) {
        guard let t = tables.removeValue(forKey: name) else { return }
        for idx in t.indexes where indexOwner[idx.name] == name { indexOwner[idx.name] = nil }
    }

    /// The SQLAlchemy and PostgreSQL types of the column a foreign key column references.
    private func typeFromForeignKey(_ t: SchemaTable, column: String) -> (String, String)? {
        guard let fk = t.foreignKeys.first(where: { $0.columns.contains(column) }),
              let k = fk.columns.firstIndex(of: column), k < fk.referencedColumns.count
        else { return nil }
        let target = fk.referencedTable == t.name ? t : tables[fk.referencedTable]
        return target?.column(fk.referencedColumns[k]).map { ($0.type, $0.sqlType) }
    }

    private mutating func addIndex(_ table: String, _ idx: SchemaIndex) {
        tables[table]!.indexes.removeAll { $0.name == idx.name }
        tables[table]!.indexes.append(idx)
        indexOwner[idx.name] = table
    }

    private mutating func addCheck(_ table: String, _ check: SchemaCheck) {
        tables[table]!.checks.removeAll { $0.name == check.name }
        tables[table]!.checks.append(check)
    }

    private mutating func addUnique(_ table: String, _ u: SchemaUnique) {
        tables[table]!.uniques.removeAll { $0.name == u.name }
        tables[table]!.uniques.append(u)
    }

    private mutating func addForeignKey(_ table: String, _ fk: SchemaForeignKey) {
        tables[table]!.foreignKeys.removeAll { $0.name == fk.name }
        tables[table]!.foreignKeys.append(fk)
        referencedBy[fk.referencedTable, default: []].insert(table)
    }

    /// Drops a column and, as PostgreSQL does, the indexes and constraints that involve it.
    private mutating func dropColumn(_ table: String, _ column: String) {
        var t = tables.removeValue(forKey: table)!
        t.columns.removeAll { $0.name == column }
        if t.primaryKey.contains(column) {
            t.primaryKey = []
            t.primaryKeyName = nil
        }
        for idx in t.indexes where idx.columns.contains(where: { $0 == column || SQLWords.mentions($0, column) }) {
            indexOwner[idx.name] = nil
        }
        t.indexes.removeAll { $0.columns.contains(where: { $0 == column || SQLWords.mentions($0, column) }) }
        t.uniques.removeAll { $0.columns.contains(column) }
        t.foreignKeys.removeAll { $0.columns.contains(column) }
        t.checks.removeAll { SQLWords.mentions($0.condition, column) }
        tables[table] = t
    }

    private mutating func renameColumn(_ table: String, _ old: String, to new: String) {
        var t = tables.removeValue(forKey: table)!
        if let i = t.columnIndex(old) { t.columns[i].name = new }
        t.primaryKey = t.primaryKey.map { $0 == old ? new : $0 }
        for i in t.indexes.indices { t.indexes[i].columns = t.indexes[i].columns.map { $0 == old ? new : $0 } }
        for i in t.uniques.indices { t.uniques[i].columns = t.uniques[i].columns.map { $0 == old ? new : $0 } }
        for i in t.foreignKeys.indices {
            t.foreignKeys[i].columns = t.foreignKeys[i].columns.map { $0 == old ? new : $0 }
            if t.foreignKeys[i].referencedTable == table {
                t.foreignKeys[i].referencedColumns = t.foreignKeys[i].referencedColumns.map { $0 == old ? new : $0 }
            }
        }
        tables[table] = t
        for other in referencedBy[table] ?? [] where other != table {
            guard tables[other] != nil else { continue }
            for i in tables[other]!.foreignKeys.indices where tables[other]!.foreignKeys[i].referencedTable == table {
                tables[other]!.foreignKeys[i].referencedColumns = tables[other]!.foreignKeys[i].referencedColumns.map { $0 == old ? new : $0 }
            }
        }
    }
}

/// Word-level checks on SQL text.
enum SQLWords {
    /// Whether `sql` names the identifier `word` (case-insensitive, outside string literals).
    static func mentions(_ sql: String, _ word: String) -> Bool {
        let s = Array(sql.utf8)
        let w = Array(word.lowercased().utf8)
        guard !w.isEmpty, s.count >= w.count else { return false }
        func isWordByte(_ c: UInt8) -> Bool {
            (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 122) || c == UInt8(ascii: "_") || c >= 0x80
        }
        var i = 0
        var inString = false
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "'") { inString.toggle(); i += 1; continue }
            if inString || !isWordByte(c) { i += 1; continue }
            let start = i
            while i < s.count, isWordByte(s[i]) { i += 1 }
            if i - start == w.count {
                var same = true
                for k in 0..<w.count where s[start + k] | (s[start + k] >= 65 && s[start + k] <= 90 ? 0x20 : 0) != w[k] {
                    same = false
                    break
                }
                if same { return true }
            }
        }
        return false
    }
}
