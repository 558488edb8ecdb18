import VejaMigrateCore

/// What a flow may read besides its draft: the history's schema, and the plan of the whole migration.
struct FlowContext {
    var schema: HistorySchema?
    /// What the downgrade of this operation puts back, in words (from the plan's inverse steps).
    var restores: [String]

    var tableNames: [String] { schema?.tableNames ?? [] }

    func columnNames(_ table: String) -> [String] {
        schema?.tables[table.trimmed]?.columns.map(\.name) ?? []
    }

    /// The values the history's CHECK on `table.column` allows (`SchemaCheck.values`).
    func enumValues(_ table: String, _ column: String) -> [String]? {
        schema?.tables[table.trimmed]?.checks.first { $0.column == column.trimmed && $0.values != nil }?.values
    }
}

/// One operation on an existing table: the fields of its change step, and the spec operation it
/// builds (the core's type, planned by the same `MigrationPlanner` as `vejamigrate new --spec`).
/// `create_table` and `add_columns` walk the table and column steps instead (`OperationChoice.steps`).
protocol OperationFlow: Sendable {
    func fields(_ d: ChangeDraft, _ c: FlowContext) -> [Field]
    /// The operation, and problems met reading typed text, at paths under the operation (`backfill`).
    func build(_ d: ChangeDraft, _ c: FlowContext) -> (MigrationOperation, [SpecIssue])
    /// The field that can fix a problem at `attribute` (the path after the operation's key).
    func field(for attribute: String, _ d: ChangeDraft, _ c: FlowContext) -> ChangeKey
    /// One line for Review.
    func summary(_ d: ChangeDraft) -> String
}

extension OperationFlow {
    func field(for attribute: String, _ d: ChangeDraft, _ c: FlowContext) -> ChangeKey { ChangeKey.named(attribute) }

    /// The shared table field: the history's tables complete it.
    func tableField(_ d: ChangeDraft, _ c: FlowContext) -> Field {
        var f = Field(.change(.table), "Table", .text(d.table), hint: Completion.hint("Tables", typed: d.table, names: c.tableNames, fallback: "The table to change."))
        f.completions = c.tableNames
        return f
    }

    /// The shared column field: the chosen table's columns complete it.
    func columnField(_ d: ChangeDraft, _ c: FlowContext, key: ChangeKey = .column, label: String = "Column", list: Bool = false) -> Field {
        let names = c.columnNames(d.table)
        let text = d.text(key)
        let typed = list ? (text.split(separator: ",", omittingEmptySubsequences: false).last.map(String.init) ?? "") : text
        let what = list ? "Comma-separated columns." : "The column."
        var f = Field(.change(key), label, .text(text), hint: Completion.hint("Columns", typed: typed, names: names, fallback: what))
        f.completions = names
        f.completesList = list
        return f
    }

    /// What the downgrade puts back, before the user confirms the drop.
    func restoreNotes(_ c: FlowContext) -> [Field] {
        guard !c.restores.isEmpty else { return [] }
        return [Field(nil, "", .note("The downgrade puts back (the structure; the data that was in it is gone):"))]
            + c.restores.map { Field(nil, "", .note("· " + $0)) }
    }
}

extension ChangeKey {
    /// The field a spec attribute (`references.ondelete`) is typed in, shared by the flows.
    static func named(_ attribute: String) -> ChangeKey {
        let parts = attribute.split(separator: ".").map(String.init)
        let head = parts.first.map { String($0.prefix { $0 != "[" }) } ?? ""
        switch head {
        case "column": return .column
        case "to": return .to
        case "columns": return .columns
        case "backfill": return .backfill
        case "nullable": return .nullable
        case "type": return .type
        case "length", "precision", "scale": return .length
        case "default": return .defaultValue
        case "unique": return .unique
        case "where": return .predicate
        case "name": return .name
        case "expression": return .expression
        case "references":
            switch parts.count > 1 ? parts[1] : "table" {
            case "column": return .referencesColumn
            case "ondelete": return .onDelete
            default: return .referencesTable
            }
        default: return .table
        }
    }
}

struct DropColumnsFlow: OperationFlow {
    func fields(_ d: ChangeDraft, _ c: FlowContext) -> [Field] {
        [tableField(d, c), columnField(d, c, key: .columns, label: "Columns to drop", list: true)] + restoreNotes(c)
    }
    func build(_ d: ChangeDraft, _ c: FlowContext) -> (MigrationOperation, [SpecIssue]) {
        (.dropColumns(DropColumns(table: d.table.trimmed, columns: ChangeDraft.names(d.columns))), [])
    }
    func summary(_ d: ChangeDraft) -> String { "drop_columns \(d.table.trimmed) (\(ChangeDraft.names(d.columns).joined(separator: ", ")))" }
}

struct DropTableFlow: OperationFlow {
    func fields(_ d: ChangeDraft, _ c: FlowContext) -> [Field] { [tableField(d, c)] + restoreNotes(c) }
    func build(_ d: ChangeDraft, _ c: FlowContext) -> (MigrationOperation, [SpecIssue]) { (.dropTable(DropTable(table: d.table.trimmed)), []) }
    func summary(_ d: ChangeDraft) -> String { "drop_table \(d.table.trimmed)" }
}

struct RenameColumnFlow: OperationFlow {
    func fields(_ d: ChangeDraft, _ c: FlowContext) -> [Field] {
        [tableField(d, c), columnField(d, c), Field(.change(.to), "New name", .text(d.to), hint: "Lowercase letters, digits and _. The downgrade renames it back.")]
    }
    func build(_ d: ChangeDraft, _ c: FlowContext) -> (MigrationOperation, [SpecIssue]) {
        (.renameColumn(RenameColumn(table: d.table.trimmed, column: d.column.trimmed, to: d.to.trimmed)), [])
    }
    func summary(_ d: ChangeDraft) -> String { "rename_column \(d.table.trimmed).\(d.column.trimmed) → \(d.to.trimmed)" }
}

struct AlterColumnFlow: OperationFlow {
    static let typeChoices = ["keep"] + ColumnType.pickerOrder.map(\.rawValue)

    /// The type a typed default or backfill is read as: the new type, else the column's own.
    func valueType(_ d: ChangeDraft, _ c: FlowContext) -> ColumnType {
        if let t = d.type { return t }
        guard let col = c.schema?.tables[d.table.trimmed]?.column(d.column.trimmed) else { return .text }
        switch col.family {
        case .uuid: return .uuid
        case .integer: return .integer
        case .numeric: return .numeric
        case .boolean: return .boolean
        case .date: return .date
        case .datetime: return .datetime
        case .json: return .jsonb
        default: return .text
        }
    }

    func fields(_ d: ChangeDraft, _ c: FlowContext) -> [Field] {
        let type = valueType(d, c)
        let typeIndex = d.type.map { ColumnType.pickerOrder.firstIndex(of: $0)! + 1 } ?? 0
        return [
            tableField(d, c), columnField(d, c),
            Field(.change(.nullable), "Nullable", .choice(AlterNullability.allCases.map(\.title), d.nullable.rawValue),
                  hint: "←/→ chooses. NOT NULL takes a backfill for the rows holding NULL."),
            Field(.change(.backfill), "Backfill (rows holding NULL)", .text(d.nullable == .notNull ? d.backfill : ""),
                  hint: d.nullable == .notNull ? "Written into the rows holding NULL first: " + ColumnSummary.defaultHint(type) : "Only when the column becomes NOT NULL.",
                  enabled: d.nullable == .notNull),
            Field(.change(.type), "Type", .choice(AlterColumnFlow.typeChoices, typeIndex), hint: "←/→ chooses; keep leaves it. Written without USING: PostgreSQL must cast the values."),
            Field(.change(.length), "Length", .text(d.type == .string ? d.length : ""),
                  hint: d.type == .string ? "Characters; empty means 255." : "Length applies to a new string type only.", enabled: d.type == .string),
            Field(.change(.defaultMode), "Default", .choice(AlterDefault.allCases.map(\.title), d.defaultMode.rawValue), hint: "←/→: keep it, set a new one, or drop it."),
            Field(.change(.defaultValue), "New default", .text(d.defaultMode == .set ? d.defaultValue : ""),
                  hint: d.defaultMode == .set ? ColumnSummary.defaultHint(type) : "Only when the default is set.", enabled: d.defaultMode == .set),
        ]
    }

    func build(_ d: ChangeDraft, _ c: FlowContext) -> (MigrationOperation, [SpecIssue]) {
        var issues: [SpecIssue] = []
        var o = AlterColumn(table: d.table.trimmed, column: d.column.trimmed)
        let type = valueType(d, c)
        switch d.nullable {
        case .keep: break
        case .nullable: o.nullable = true
        case .notNull:
            o.nullable = false
            if let (value, issue) = ColumnDraft.readDefault(d.backfill, type: type, path: "backfill") {
                o.backfill = value
                if let issue { issues.append(issue) }
            }
        }
        o.type = d.type
        if d.type == .string, !d.length.trimmed.isEmpty {
            if let n = Int(d.length.trimmed) { o.length = n } else {
                issues.append(SpecIssue(field: "length", problem: "\"\(d.length.trimmed)\" is not a whole number", fix: "type digits only, e.g. 64"))
            }
        }
        switch d.defaultMode {
        case .keep: break
        case .drop: o.defaultValue = .drop
        case .set:
            if let (value, issue) = ColumnDraft.readDefault(d.defaultValue, type: type, path: "default") {
                if let value { o.defaultValue = .set(value) }
                if let issue { issues.append(issue) }
            }
        }
        return (.alterColumn(o), issues)
    }
    func summary(_ d: ChangeDraft) -> String { "alter_column \(d.table.trimmed).\(d.column.trimmed)" }
}

struct AlterEnumFlow: OperationFlow {
    /// Values the history allows that the list no longer has: their rows need a new value.
    func removed(_ d: ChangeDraft, _ c: FlowContext) -> [String] {
        let now = Set(d.values.map(\.trimmed))
        return (c.enumValues(d.table, d.column) ?? []).filter { !now.contains($0) }
    }

    func fields(_ d: ChangeDraft, _ c: FlowContext) -> [Field] {
        var out = [tableField(d, c), columnField(d, c)]
        if let current = c.enumValues(d.table, d.column) {
            out.append(Field(nil, "", .note("Now: " + current.joined(separator: ", "))))
        }
        for (i, v) in d.values.enumerated() {
            out.append(Field(.change(.value(i)), "Value \(i + 1)", .text(v), hint: "Edit the value; Ctrl-U empties it, and an empty value is removed."))
        }
        out.append(Field(.change(.addValue), "", .button("+ Add value"), hint: "Enter (or a) adds a value at the end."))
        let values = d.values.map(\.trimmed).filter { !$0.isEmpty }
        for v in removed(d, c) {
            var f = Field(.change(.mapTarget(v)), "Rows with \(v) become", .text(d.map[v] ?? ""),
                          hint: Completion.hint("Values", typed: d.map[v] ?? "", names: values, fallback: "One of the new values."))
            f.completions = values
            out.append(f)
        }
        var def = Field(.change(.enumDefault), "Default (optional)", .text(d.enumDefault),
                        hint: Completion.hint("Values", typed: d.enumDefault, names: values, fallback: "One of the values; empty leaves the default."))
        def.completions = values
        out.append(def)
        return out
    }

    func build(_ d: ChangeDraft, _ c: FlowContext) -> (MigrationOperation, [SpecIssue]) {
        let values = d.values.map(\.trimmed).filter { !$0.isEmpty }
        let map = removed(d, c).compactMap { v in d.map[v].map(\.trimmed).flatMap { $0.isEmpty ? nil : MappedValue(from: v, to: $0) } }
        let def = d.enumDefault.trimmed
        // The core says these in the spec's words (`"map"`); here they are said with the fields' names,
        // at the same paths, so the core's own wording of them is not shown twice.
        var issues: [SpecIssue] = []
        let unplaced = removed(d, c).filter { (d.map[$0] ?? "").trimmed.isEmpty }
        if let first = unplaced.first, !values.isEmpty {
            let names = unplaced.joined(separator: ", ")
            issues.append(SpecIssue(
                field: "values",
                problem: "rows of \(d.table.trimmed) holding \(names) need a new value, since the list no longer has \(unplaced.count == 1 ? "it" : "them")",
                fix: "type the value they become under \"Rows with \(first) become\" (one of \(values.joined(separator: ", "))), or add \(first) back to the list"))
        }
        for (i, m) in map.enumerated() where !values.contains(m.to) {
            issues.append(SpecIssue(field: "map[\(i)]", problem: "\"\(m.to)\" is not one of the new values",
                                    fix: "type one of: " + values.joined(separator: ", ")))
        }
        return (.alterEnum(AlterEnum(table: d.table.trimmed, column: d.column.trimmed, values: values, defaultValue: def.isEmpty ? nil : def, map: map)), issues)
    }

    func field(for attribute: String, _ d: ChangeDraft, _ c: FlowContext) -> ChangeKey {
        let head = String(attribute.prefix { $0 != "[" && $0 != "." })
        switch head {
        case "values":
            // "removes X ... no new value": the first removed value without a target can fix it.
            if let v = removed(d, c).first(where: { (d.map[$0] ?? "").trimmed.isEmpty }) { return .mapTarget(v) }
            return d.values.isEmpty ? .addValue : .value(0)
        case "map":
            let mapped = removed(d, c).filter { !(d.map[$0] ?? "").trimmed.isEmpty }
            if let i = FieldPath.index(in: attribute), i < mapped.count { return .mapTarget(mapped[i]) }
            return .addValue
        case "default": return .enumDefault
        default: return ChangeKey.named(attribute)
        }
    }
    func summary(_ d: ChangeDraft) -> String { "alter_enum \(d.table.trimmed).\(d.column.trimmed)" }
}

struct CreateIndexFlow: OperationFlow {
    func fields(_ d: ChangeDraft, _ c: FlowContext) -> [Field] {
        [
            tableField(d, c), columnField(d, c, key: .columns, label: "Columns", list: true),
            Field(.change(.unique), "Unique (uniq_<table>_<columns>)", .toggle(d.unique), hint: "Space toggles."),
            Field(.change(.predicate), "Where (optional, partial index)", .text(d.predicate), hint: "An SQL condition, e.g. archived_at IS NULL."),
        ]
    }
    func build(_ d: ChangeDraft, _ c: FlowContext) -> (MigrationOperation, [SpecIssue]) {
        let p = d.predicate.trimmed
        return (.createIndex(CreateIndex(table: d.table.trimmed, columns: ChangeDraft.names(d.columns), unique: d.unique, predicate: p.isEmpty ? nil : p)), [])
    }
    func summary(_ d: ChangeDraft) -> String { "create_index \(d.table.trimmed) (\(ChangeDraft.names(d.columns).joined(separator: ", ")))" }
}

struct AddForeignKeyFlow: OperationFlow {
    func fields(_ d: ChangeDraft, _ c: FlowContext) -> [Field] {
        let choices = ["none"] + OnDelete.allCases.map(\.rawValue)
        let index = d.onDelete.map { OnDelete.allCases.firstIndex(of: $0)! + 1 } ?? 0
        var target = Field(.change(.referencesTable), "References table", .text(d.referencesTable),
                           hint: Completion.hint("Tables", typed: d.referencesTable, names: c.tableNames, fallback: "The referenced table."))
        target.completions = c.tableNames
        var refColumn = Field(.change(.referencesColumn), "References column", .text(d.referencesColumn),
                              hint: Completion.hint("Columns", typed: d.referencesColumn, names: c.columnNames(d.referencesTable), fallback: "Usually id."))
        refColumn.completions = c.columnNames(d.referencesTable)
        return [tableField(d, c), columnField(d, c), target, refColumn,
                Field(.change(.onDelete), "On delete", .choice(choices, index), hint: "←/→ chooses. SET NULL needs a nullable column.")]
    }
    func build(_ d: ChangeDraft, _ c: FlowContext) -> (MigrationOperation, [SpecIssue]) {
        let col = d.referencesColumn.trimmed
        return (.addForeignKey(AddForeignKey(table: d.table.trimmed, column: d.column.trimmed,
                                             references: ForeignKey(table: d.referencesTable.trimmed, column: col.isEmpty ? "id" : col, onDelete: d.onDelete))), [])
    }
    func summary(_ d: ChangeDraft) -> String { "add_foreign_key \(d.table.trimmed).\(d.column.trimmed) → \(d.referencesTable.trimmed)" }
}

struct AddCheckFlow: OperationFlow {
    func fields(_ d: ChangeDraft, _ c: FlowContext) -> [Field] {
        [
            tableField(d, c), columnField(d, c, label: "Column (chk_<table>_<column>)"),
            Field(.change(.name), "Name (a rule over several columns)", .text(d.name), hint: "Empty for a rule on one column; else chk_<table>_<name>, e.g. dates_in_order."),
            Field(.change(.expression), "Expression", .text(d.expression), hint: "SQL, read by the PostgreSQL grammar, e.g. budget >= 0. Added NOT VALID, then validated."),
        ]
    }
    func build(_ d: ChangeDraft, _ c: FlowContext) -> (MigrationOperation, [SpecIssue]) {
        let column = d.column.trimmed, name = d.name.trimmed
        return (.addCheck(AddCheck(table: d.table.trimmed, column: column.isEmpty ? nil : column, name: name.isEmpty ? nil : name, expression: d.expression.trimmed)), [])
    }
    func summary(_ d: ChangeDraft) -> String { "add_check \(d.table.trimmed) \(d.expression.trimmed)" }
}

struct DropIndexFlow: OperationFlow {
    func fields(_ d: ChangeDraft, _ c: FlowContext) -> [Field] {
        let names = c.schema?.tables[d.table.trimmed]?.indexes.map(\.name) ?? []
        var f = Field(.change(.name), "Index", .text(d.name), hint: Completion.hint("Indexes", typed: d.name, names: names, fallback: "The index to drop."))
        f.completions = names
        return [tableField(d, c), f] + restoreNotes(c)
    }
    func build(_ d: ChangeDraft, _ c: FlowContext) -> (MigrationOperation, [SpecIssue]) { (.dropIndex(DropIndex(table: d.table.trimmed, name: d.name.trimmed)), []) }
    func summary(_ d: ChangeDraft) -> String { "drop_index \(d.name.trimmed)" }
}

struct DropConstraintFlow: OperationFlow {
    func fields(_ d: ChangeDraft, _ c: FlowContext) -> [Field] {
        let t = c.schema?.tables[d.table.trimmed]
        let names = (t?.checks.map(\.name) ?? []) + (t?.uniques.map(\.name) ?? []) + (t?.foreignKeys.map(\.name) ?? [])
        var f = Field(.change(.name), "Constraint", .text(d.name), hint: Completion.hint("Constraints", typed: d.name, names: names.sorted(), fallback: "A CHECK, unique constraint or foreign key."))
        f.completions = names.sorted()
        return [tableField(d, c), f] + restoreNotes(c)
    }
    func build(_ d: ChangeDraft, _ c: FlowContext) -> (MigrationOperation, [SpecIssue]) { (.dropConstraint(DropConstraint(table: d.table.trimmed, name: d.name.trimmed)), []) }
    func summary(_ d: ChangeDraft) -> String { "drop_constraint \(d.name.trimmed)" }
}

struct RenameTableFlow: OperationFlow {
    func fields(_ d: ChangeDraft, _ c: FlowContext) -> [Field] {
        [tableField(d, c), Field(.change(.to), "New name", .text(d.to), hint: "Lowercase letters, digits and _. Constraint and index names keep the old table's name.")]
    }
    func build(_ d: ChangeDraft, _ c: FlowContext) -> (MigrationOperation, [SpecIssue]) { (.renameTable(RenameTable(table: d.table.trimmed, to: d.to.trimmed)), []) }
    func summary(_ d: ChangeDraft) -> String { "rename_table \(d.table.trimmed) → \(d.to.trimmed)" }
}

/// Names offered as the user types, and Tab's completion.
enum Completion {
    /// The text with its last name completed as far as the matching names agree, or nil when Tab
    /// would add nothing (then Tab moves on).
    static func complete(_ text: String, names: [String], list: Bool) -> String? {
        var head = ""
        var last = text
        if list, let comma = text.lastIndex(of: ",") {
            head = String(text[...comma]) + " "
            last = String(text[text.index(after: comma)...])
        }
        let typed = last.trimmed
        let matches = names.filter { $0.hasPrefix(typed) }
        guard var common = matches.first else { return nil }
        for m in matches.dropFirst() { while !m.hasPrefix(common) { common.removeLast() } }
        guard common.count > typed.count else { return nil }
        return head + common
    }

    /// Names close to what is typed: those it starts, then those containing it, then the rest by edit distance.
    static func close(_ typed: String, names: [String], limit: Int = 8) -> [String] {
        let t = typed.trimmed.lowercased()
        if t.isEmpty { return names }
        let starts = names.filter { $0.lowercased().hasPrefix(t) }
        let contains = names.filter { !$0.lowercased().hasPrefix(t) && $0.lowercased().contains(t) }
        let near = names.filter { n in !starts.contains(n) && !contains.contains(n) && distance(n.lowercased(), t) <= max(2, t.count / 3) }
        return starts + contains + near
    }

    /// The hint of a completing field: the close names, and Tab.
    static func hint(_ what: String, typed: String, names: [String], fallback: String) -> String {
        guard !names.isEmpty else { return fallback }
        let close = close(typed, names: names)
        if close.isEmpty { return "\(fallback) None of the \(what.lowercased()) is close to \"\(typed.trimmed)\"." }
        // "Tab completes." is added where Tab would (`WizardModel.makeStatusText`), as the footer says.
        return "\(what): " + close.prefix(8).joined(separator: ", ") + (close.count > 8 ? ", …" : ".")
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var prev = row[0]
            row[0] = i
            for j in 1...b.count {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[b.count]
    }
}

/// What a downgrade's steps put back, in words, for the drop flows.
enum RestoreText {
    static func lines(_ steps: [PlanStep]) -> [String] {
        steps.flatMap(line)
    }

    static func line(_ step: PlanStep) -> [String] {
        switch step {
        case .addColumn(let t, let c): return ["column \(t).\(column(c))"]
        case .createTable(let t):
            var out = ["table \(t.name): " + t.columns.map(column).joined(separator: ", ")]
            if !t.primaryKey.isEmpty { out.append("primary key (\(t.primaryKey.joined(separator: ", ")))") }
            out += t.foreignKeys.map(foreignKey)
            out += t.uniqueConstraints.map { "unique \($0.name) (\($0.columns.joined(separator: ", ")))" }
            out += t.checks.map { "CHECK \($0.name) (\($0.condition))" }
            out += t.indexes.map(index)
            return out
        case .createIndex(let i, _): return [index(i)]
        case .addConstraint(_, let c, _):
            switch c {
            case .check(let name, let condition): return ["CHECK \(name) (\(condition))"]
            case .unique(let name, let columns): return ["unique \(name) (\(columns.joined(separator: ", ")))"]
            case .foreignKey(let fk): return [foreignKey(fk)]
            }
        case .postgresOnly(let s), .autocommit(let s): return line(s)
        default: return []
        }
    }

    static func column(_ c: PlanColumn) -> String {
        c.name + " " + c.sqlType + (c.nullable ? " NULL" : " NOT NULL") + (c.serverDefault.map { " DEFAULT \($0)" } ?? "")
    }

    static func index(_ i: PlanIndex) -> String {
        "\(i.unique ? "unique index" : "index") \(i.name) (\(i.columns.joined(separator: ", ")))" + (i.predicate.map { " WHERE \($0)" } ?? "")
    }

    static func foreignKey(_ fk: PlanForeignKey) -> String {
        "foreign key \(fk.name): \(fk.columns.joined(separator: ", ")) → \(fk.referencedTable)(\(fk.referencedColumns.joined(separator: ", ")))"
            + (fk.onDelete.map { " ON DELETE \($0)" } ?? "")
    }
}
