extension SpecValidator {
    /// Checks a spec against the schema the history builds (`SchemaReader`): the tables
    /// and columns it names must exist, and those it creates must not.
    ///
    /// Pure: no I/O, so the wizard can call it on every change. Tables touched by raw SQL
    /// (`op.execute`, unreadable helpers) make what cannot be known a warning, not an error.
    /// Names that are not valid identifiers are left to `issues(in:)`.
    public static func historyIssues(in spec: MigrationSpec, schema: HistorySchema) -> (errors: [SpecIssue], warnings: [SpecIssue]) {
        // The plan replays each operation onto the schema, so the next one is checked against what it left.
        let plan = MigrationPlan(spec, schema: schema)
        return (plan.errors, plan.warnings)
    }

    struct HistoryCheck {
        var schema: HistorySchema
        var errors: [SpecIssue] = []
        var warnings: [SpecIssue] = []
        /// Tables created by earlier operations of the same spec.
        var created: [String: CreateTable] = [:]

        mutating func error(_ field: String, _ problem: String, _ fix: String) {
            errors.append(SpecIssue(field: field, problem: problem, fix: fix))
        }

        mutating func warning(_ field: String, _ problem: String, _ fix: String) {
            warnings.append(SpecIssue(field: field, problem: problem, fix: fix))
        }

        func locations(_ table: String, kinds: Set<RawSQLKind>? = nil) -> String {
            let touches = (schema.rawSQL[table] ?? []).filter { kinds?.contains($0.kind) ?? true }
            let shown = touches.prefix(3).map(\.location)
            return shown.joined(separator: ", ") + (touches.count > 3 ? " and \(touches.count - 3) more" : "")
        }

        mutating func createTable(_ t: CreateTable, _ path: String) {
            if SpecValidator.isIdentifier(t.name), created[t.name] == nil {
                if let existing = schema.tables[t.name] {
                    let origin = existing.createdIn.map { "created in \($0)" } ?? "changed by the history"
                    let mayBeGone = (schema.rawSQL[t.name] ?? []).contains { $0.kind == .dropTable || $0.kind == .unreadable || $0.kind == .alterTable }
                    if mayBeGone {
                        warning(path + ".name", "\(t.name) already exists (\(origin)), unless the raw SQL at \(locations(t.name, kinds: [.dropTable, .unreadable, .alterTable])) removed it",
                                "choose another name unless you know \(t.name) is gone")
                    } else {
                        error(path + ".name", "\(t.name) already exists (\(origin))", "choose another name")
                    }
                } else if schema.rawSQL[t.name]?.contains(where: { $0.kind == .createTable }) == true {
                    warning(path + ".name", "\(t.name) may already exist: raw SQL creates it at \(locations(t.name, kinds: [.createTable]))",
                            "choose another name unless you know \(t.name) is gone")
                }
            }
            for (i, c) in t.columns.enumerated() {
                guard let fk = c.foreignKey else { continue }
                foreignKey(fk, column: c, of: t, path: path + ".columns[\(i)]")
            }
            if !t.name.isEmpty, created[t.name] == nil { created[t.name] = t }
        }

        /// The columns of a table the spec creates, with the `timestamps` ones.
        static func columns(_ t: CreateTable) -> [Column] {
            t.columns + (t.timestamps ? [
                Column(name: "created_at", type: .datetime, nullable: false, defaultValue: .now),
                Column(name: "updated_at", type: .datetime, nullable: false, defaultValue: .now),
            ] : [])
        }

        static func isUnique(_ name: String, in t: CreateTable) -> Bool {
            let cols = columns(t)
            let pk = cols.filter(\.primaryKey).map(\.name)
            if pk == [name] { return true }
            if cols.contains(where: { $0.name == name && $0.unique }) { return true }
            return t.indexes.contains { $0.unique && $0.columns == [name] }
        }

        mutating func foreignKey(_ fk: ForeignKey, column c: Column, of t: CreateTable, path: String) {
            let fpath = path + ".foreign_key"
            guard SpecValidator.isIdentifier(fk.table), SpecValidator.isIdentifier(fk.column) else { return }
            let target = "\(fk.table).\(fk.column)"
            // The new table itself, or one an earlier operation creates.
            if let spec = fk.table == t.name ? t : created[fk.table] {
                let cols = HistoryCheck.columns(spec)
                guard let referenced = cols.first(where: { $0.name == fk.column }) else {
                    // A missing column of the new table itself is reported by `issues(in:)`.
                    if fk.table != t.name {
                        error(fpath + ".column", "\(fk.table) has no column \"\(fk.column)\"", "reference one of: " + cols.map(\.name).joined(separator: ", "))
                    }
                    return
                }
                if !HistoryCheck.isUnique(fk.column, in: spec) {
                    error(fpath + ".column", "\(target) is neither the primary key nor unique, so PostgreSQL cannot reference it",
                          "reference the primary key of \(fk.table), or make \(fk.column) unique")
                }
                let keys = cols.filter { TypeFamily(c.type).isCompatible(with: TypeFamily($0.type)) && HistoryCheck.isUnique($0.name, in: spec) }.map(\.name)
                typeCheck(c, path: fpath, target: (fk.table, fk.column), family: TypeFamily(referenced.type), shown: referenced.type.rawValue, keys: keys)
                return
            }
            guard let table = schema.tables[fk.table] else {
                if schema.isTouchedByRawSQL(fk.table) {
                    warning(fpath + ".table", "\(fk.table) is not created by any migration vejamigrate can read (raw SQL at \(locations(fk.table)) names it), so \(target) cannot be checked",
                            "make sure \(target) exists and is unique before this migration runs")
                } else {
                    let close = schema.closeTableNames(to: fk.table)
                    let fix: String
                    if !close.isEmpty {
                        fix = "did you mean " + close.joined(separator: ", ") + "? Or create \(fk.table) first"
                    } else if schema.tables.isEmpty {
                        fix = "the history creates no tables yet: create \(fk.table) first"
                    } else {
                        let all = schema.tableNames
                        fix = "create \(fk.table) first, or reference one of: " + all.prefix(12).joined(separator: ", ") + (all.count > 12 ? ", ..." : "")
                    }
                    error(fpath + ".table", "\"\(fk.table)\" is not a table in the history", fix)
                }
                return
            }
            guard let referenced = table.column(fk.column) else {
                if schema.mayHaveUnknownColumns(fk.table) {
                    warning(fpath + ".column", "the history does not show a column \"\(fk.column)\" in \(fk.table), but raw SQL changes that table (\(locations(fk.table)))",
                            "make sure \(target) exists and is unique before this migration runs")
                } else {
                    let names = table.columns.map(\.name)
                    error(fpath + ".column", "\(fk.table) has no column \"\(fk.column)\"",
                          names.isEmpty ? "\(fk.table) has no columns in the history" : "reference one of: " + names.joined(separator: ", "))
                }
                return
            }
            if !table.isUniqueKey([fk.column]) {
                let pk = table.primaryKey
                let fix = pk.count == 1 ? "reference \(fk.table).\(pk[0]) (its primary key), or make \(fk.column) unique first" : "make \(fk.column) unique first, or reference a unique column"
                if schema.isTouchedByRawSQL(fk.table) {
                    warning(fpath + ".column", "the history shows no primary key or unique constraint on \(target) (raw SQL at \(locations(fk.table)) may add one)", fix)
                } else {
                    error(fpath + ".column", "\(target) is neither the primary key nor unique, so PostgreSQL cannot reference it", fix)
                }
            }
            let keys = table.columns.filter { TypeFamily(c.type).isCompatible(with: $0.family) && table.isUniqueKey([$0.name]) }.map(\.name)
            typeCheck(c, path: fpath, target: (fk.table, fk.column), family: referenced.family, shown: referenced.type, keys: keys)
        }

        /// A type mismatch belongs to the foreign key: the user chose what to reference. The fix names
        /// a column of the right type to reference instead (`keys`: unique ones), or the column type to change.
        mutating func typeCheck(_ c: Column, path fpath: String, target: (table: String, column: String), family: TypeFamily, shown: String, keys: [String]) {
            let mine = TypeFamily(c.type)
            guard !mine.isCompatible(with: family) else { return }
            let name = "\(target.table).\(target.column)"
            let reference = keys.first.map { "reference \(mine.phrase) column such as \(target.table).\($0)" }
                ?? "reference \(mine.phrase) column of \(target.table)"
            let change = family == .other || family == .binary ? "give \(c.name) the type of \(name)" : "change \(c.name)'s type to \(family.rawValue)"
            error(fpath + ".column", "\(c.name) is \(c.type.rawValue), but \(name) is \(shown) (\(family.phrase) column): the foreign key cannot match",
                  reference + ", or " + change)
        }
    }
}
