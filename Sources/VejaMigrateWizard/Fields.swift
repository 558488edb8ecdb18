import VejaMigrateCore

/// The form of each step, derived from the state: what to draw and what can take focus.
extension WizardModel {
    /// The fields of the current step, in order.
    public var fields: [Field] {
        let s = state
        switch s.step {
        case .description:
            return [
                Field(.description, "Description", .text(s.description), hint: derivedDescription.map {
                    "Empty: \"\($0)\", as the operation says. Type to give your own; it names the file."
                } ?? "A short English description, e.g. add invoices table. It names the file."),
                Field(.details, "Details (optional)", .text(s.details), hint: "An extended description, written after Create Date: in the docstring."),
                Field(.continueButton, "", .button("Continue ›")),
            ]
        case .operation:
            return [
                Field(.operation, "Operation", .choice(OperationChoice.allCases.map(\.title), s.operation.rawValue), hint: "←/→ or Space to choose."),
                Field(nil, "", .note(s.operation.explanation)),
                Field(.continueButton, "", .button("Continue ›")),
            ]
        case .table where s.operation == .addColumns:
            var table = Field(.tableName, "Table", .text(s.table.name),
                              hint: Completion.hint("Tables", typed: s.table.name, names: schema?.tableNames ?? [], fallback: "The table that gets the columns."))
            table.completions = schema?.tableNames ?? []
            return [table] + [operationSafeField].compactMap { $0 } + [Field(.continueButton, "", .button("Continue ›"))]
        case .change:
            guard let flow = s.operation.flow else { return [] }
            return flow.fields(s.change, flowContext) + [operationSafeField].compactMap { $0 } + [Field(.continueButton, "", .button("Continue ›"))]
        case .table:
            return [
                Field(.tableName, "Table name", .text(s.table.name), hint: "Lowercase letters, digits and _, plural: invoices, project_members."),
                Field(.idPreset, "id uuid primary key (gen_random_uuid())", .toggle(s.table.idPreset), hint: "Space toggles. Adds the conventional UUID primary key as the first column."),
                Field(.timestamps, "created_at / updated_at (now())", .toggle(s.table.timestamps), hint: "Space toggles. Adds both timestamps, NOT NULL, default now()."),
                Field(.continueButton, "", .button("Continue ›")),
            ]
        case .columns:
            if let i = s.editingColumn, i < s.table.columns.count { return columnEditorFields(s.table.columns[i], newTable: s.operation == .createTable) }
            var out: [Field] = [lineField]
            let newTable = s.operation == .createTable
            if newTable, s.table.idPreset { out.append(Field(nil, "", .note("id  uuid  PK  (preset)"))) }
            for (i, c) in s.table.columns.enumerated() {
                out.append(Field(.columnRow(i), "", .row(ColumnSummary.line(c)), hint: "Enter edits · a adds · d deletes · [ and ] move the column."))
            }
            if newTable, s.table.timestamps { out.append(Field(nil, "", .note("created_at, updated_at  (preset)"))) }
            out.append(Field(.addColumn, "", .button("+ Add column"), hint: "Enter (or a) adds a column and opens it."))
            out.append(Field(.continueButton, "", .button("Continue ›")))
            return out
        case .enums:
            var out: [Field] = []
            let textual = s.table.columns.indices.filter { s.table.columns[$0].type.isTextual }
            if textual.isEmpty {
                out.append(Field(nil, "", .note("No string or text columns, so no values to restrict.")))
            } else {
                out.append(Field(nil, "", .note("Allowed values make a CHECK constraint chk_<table>_<column>.")))
            }
            for i in textual {
                let c = s.table.columns[i]
                let name = c.name.isEmpty ? "column \(i + 1 + s.presetCount)" : c.name
                out.append(Field(.enumValues(i), "\(name): values", .text(c.enumText), hint: "Comma-separated, e.g. DRAFT, SENT, PAID, VOID. Leave empty for free text."))
                if !c.enumText.trimmed.isEmpty {
                    out.append(Field(.enumDefault(i), "\(name): default", .text(c.defaultText), hint: "One of the values, or empty for no default."))
                }
            }
            out.append(Field(.continueButton, "", .button("Continue ›")))
            return out
        case .foreignKeys:
            if let i = s.editingForeignKey, i < s.table.columns.count { return foreignKeyEditorFields(s.table.columns[i]) }
            var out: [Field] = [Field(nil, "", .note("Enter on a column to make it reference another table. Each FK gets an index."))]
            for w in warnings { out.append(Field(nil, "", .note("⚠ " + w.problem))) }
            for (i, c) in s.table.columns.enumerated() where !c.primaryKey {
                let name = c.name.isEmpty ? "column \(i + 1 + s.presetCount)" : c.name
                var text = name.padded(to: 12) + " "
                if c.hasForeignKey {
                    text += "→ \(c.referencesTable).\(c.referencesColumn.trimmed.isEmpty ? "id" : c.referencesColumn)"
                    if let od = c.onDelete { text += " \(od.rawValue)" }
                } else {
                    text += "—"
                }
                out.append(Field(.fkRow(i), "", .row(text), hint: "Enter sets or changes the reference."))
            }
            out.append(Field(.continueButton, "", .button("Continue ›")))
            return out
        case .indexes:
            var out: [Field] = []
            // The table as `refresh` already built it for the spec.
            guard let k = currentOperation, k < spec.operations.count, case .createTable(let table) = spec.operations[k] else { return [] }
            let automatic = table.columns.filter { $0.foreignKey != nil || $0.index }
            if automatic.isEmpty {
                out.append(Field(nil, "", .note("No automatic indexes.")))
            }
            for c in automatic {
                let why = c.foreignKey != nil ? "FK" : "column"
                out.append(Field(nil, "", .note("auto: " + TableDefinition.indexName(table: table.name, columns: [c.name]) + " (\(why))")))
            }
            for (i, idx) in s.table.indexes.enumerated() {
                out.append(Field(.indexColumns(i), "Index \(i + 1): columns", .text(idx.columnsText), hint: "Comma-separated columns, e.g. status, issued_at."))
                out.append(Field(.indexUnique(i), "Unique", .toggle(idx.unique), hint: "Space toggles. d removes this index."))
            }
            out.append(Field(.addIndex, "", .button("+ Add index"), hint: "Enter (or a) adds a composite index."))
            out.append(Field(.continueButton, "", .button("Continue ›")))
            return out
        case .review:
            var out: [Field] = []
            out.append(Field(nil, "", .note("File:")))
            out.append(Field(nil, "", .note(previewFileName)))
            let drafts = s.answered
            if drafts.count > 1 {
                out.append(Field(nil, "", .note("Operations, in order:")))
                for (k, d) in drafts.enumerated() {
                    out.append(Field(.operationRow(k), "", .row("\(k + 1). " + WizardModel.summary(d)),
                                     hint: "Enter opens operation \(k + 1) to change it · d removes it · [ and ] move it. downgrade() undoes them in reverse."))
                }
            }
            if graph.heads.count > 1 {
                out.append(Field(.parent, "Parent (the history has \(graph.heads.count) heads)", .choice(graph.heads, min(s.chosenHead, graph.heads.count - 1)), hint: "←/→ chooses which head the new migration revises."))
                if let heads = graph.problems.first(where: { $0.kind == .multipleHeads }), let fix = fix(for: heads) {
                    out.append(Field(nil, "", .note("Or join the heads first: " + fix.text + ".")))
                }
            } else {
                out.append(Field(nil, "", .note("Revises: " + (graph.heads.first ?? "None (first migration)"))))
            }
            if let safe = migrationSafeField { out.append(safe) }
            // What is left to decide: the parts the names filled and nobody set, values still to give.
            let suggested = [.createTable, .addColumns].contains(s.operation) ? s.table.columns.filter {
                !$0.suggestedParts.isEmpty || ($0.suggestion?.asksValues == true && $0.enumText.trimmed.isEmpty)
            } : []
            if !suggested.isEmpty {
                out.append(Field(nil, "", .note("From the names (check them):")))
                for c in suggested { out.append(Field(nil, "", .note("≈ \(c.name.trimmed): " + ColumnSummary.suggested(c)))) }
            }
            for w in warnings { out.append(Field(nil, "", .note("⚠ " + w.problem))) }
            for p in graph.chainProblems where p.kind != .multipleHeads {
                out.append(Field(nil, "", .note("History: " + p.message)))
                if let fix = fix(for: p) { out.append(Field(nil, "", .note("Fix: " + fix.text + "."))) }
            }
            let all = issues
            if isReadingHistory {
                out.append(Field(nil, "", .note("Reading the history: the parent and the checks against existing tables follow in a moment.")))
            } else if all.isEmpty && graph.chainProblems.allSatisfy({ $0.kind == .multipleHeads }) {
                out.append(Field(nil, "", .note("No problems: ready to write.")))
                out.append(Field(.write, "", .button("Write migration"), hint: "Enter writes the file. Esc goes back to change something."))
                out.append(Field(.addOperation, "", .button("+ Add another operation"), hint: "Keeps this operation and chooses another one for the same migration."))
            } else {
                out.append(Field(nil, "", .note("\(all.count) problem\(all.count == 1 ? "" : "s") to fix before writing:")))
                for (i, issue) in all.enumerated() {
                    out.append(Field(.issue(i), "", .row(FieldPath.label(issue.field, model: self) + ": " + issue.problem), hint: "Enter jumps to the field. " + issue.fix.prefix(1).uppercased() + issue.fix.dropFirst()))
                }
                out.append(Field(.addOperation, "", .button("+ Add another operation"), hint: "Keeps this operation and chooses another one for the same migration."))
            }
            return out
        case .done:
            var out: [Field] = []
            if let saved = s.savedSpecPath {
                let place = s.savedSpecDirectory.isEmpty || saved.hasPrefix("/") ? "" : " (in \(s.savedSpecDirectory))"
                out.append(Field(nil, "", .note("✓ Saved \(saved)\(place): `vejamigrate new --spec \(saved)` writes this migration again.")))
            }
            out.append(Field(.specPath, "Save the answers as a spec file", .text(s.specPath),
                             hint: "JSON for `vejamigrate new --spec FILE`: review it in a pull request, write the migration again. Enter saves; an existing file is never replaced."))
            out.append(Field(.writeAnother, "", .button("Write another migration"), hint: "Starts again from the description, on the history as it is now."))
            out.append(Field(.quitButton, "", .button("Quit"), hint: "Quits; the path and the reminders are printed again in the shell."))
            return out
        }
    }

    /// The column editor: the same fields in the same places for every type, so the same keys reach
    /// the same field; what does not apply to this column is disabled and says why.
    func columnEditorFields(_ c: ColumnDraft, newTable: Bool = true) -> [Field] {
        let numeric = c.type == .numeric
        let onDeletes = ["none"] + OnDelete.allCases.map(\.rawValue)
        var references = Field(.columnReferences, "References (Tab completes)", .text(c.referencesText),
                               hint: tableHint(for: c.referencesTable) + " table or table.column; each foreign key gets an index.")
        references.completions = schema?.tableNames ?? []
        // The values the history's CHECKs allow on columns of this name (tasks.status) complete the list.
        let known = historyValues(for: c.name.trimmed)
        var values = Field(.columnEnum, "Allowed values (enum)", .text(c.type.isTextual ? c.enumText : ""),
                           hint: c.type.isTextual ? (known.isEmpty ? "Comma-separated, e.g. DRAFT, SENT. Makes chk_<table>_<column>. Empty: free text." : "Comma-separated; the history has " + historyValueGroups(for: c.name.trimmed).map { "\($0.table).\(c.name.trimmed): " + $0.values.joined(separator: ", ") }.joined(separator: "; ") + ".") : "Allowed values apply to string and text columns only.",
                           enabled: c.type.isTextual)
        values.completions = known
        values.completesList = true
        return suggestionNotes(c) + [
            Field(.columnName, "Name", .text(c.name), hint: "Lowercase letters, digits and _, e.g. amount, project_id."),
            Field(.columnType, "Type", .choice(ColumnType.pickerOrder.map(\.rawValue), ColumnType.pickerOrder.firstIndex(of: c.type)!), hint: ColumnType.pickerHint),
            Field(.columnLength, "Length", .text(c.type == .string ? c.length : ""),
                  hint: c.type == .string ? "Characters; empty means 255." : "Length applies to string columns only.", enabled: c.type == .string),
            Field(.columnPrecision, "Precision", .text(numeric ? c.precision : ""),
                  hint: numeric ? "Total digits, e.g. 12." : "Precision applies to numeric columns only.", enabled: numeric),
            Field(.columnScale, "Scale", .text(numeric ? c.scale : ""),
                  hint: numeric ? "Digits after the point, e.g. 2." : "Scale applies to numeric columns only.", enabled: numeric),
            Field(.columnPrimaryKey, "Primary key (Alt-p)", .toggle(c.primaryKey && newTable),
                  hint: newTable ? "Space or Alt-p toggles. Part of the table's primary key." : "An existing table keeps its primary key: add_columns adds none.", enabled: newTable),
            Field(.columnNullable, "Nullable (Alt-n)", .toggle(c.nullable && !c.primaryKey),
                  hint: c.primaryKey ? "A primary key is always NOT NULL." : "Space or Alt-n toggles. Off means NOT NULL.", enabled: !c.primaryKey),
            values,
            Field(.columnDefault, "Default", .text(c.defaultText), hint: ColumnSummary.defaultHint(c.type)),
            Field(.columnUnique, "Unique (Alt-u)", .toggle(c.unique),
                  hint: c.primaryKey ? "A primary key is unique already." : "Space or Alt-u toggles. Adds uniq_<table>_<column>.", enabled: !c.primaryKey),
            Field(.columnIndex, "Index (Alt-i)", .toggle(c.index), hint: "Space or Alt-i toggles. Adds idx_<table>_<column> for frequent queries."),
            references,
            Field(.columnOnDelete, "On delete", .choice(onDeletes, c.onDelete.map { OnDelete.allCases.firstIndex(of: $0)! + 1 } ?? 0),
                  hint: c.hasForeignKey ? "←/→ chooses. SET NULL needs a nullable column. Enter starts the next column." : "On delete applies to a column that references a table.",
                  enabled: c.hasForeignKey),
            Field(.columnDone, "", .button("Done ‹ back to columns"), hint: "Enter (or Esc) returns to the column list. Alt-a adds the next column from any field."),
        ]
    }

    /// The values the history's CHECKs allow on a column named `name`, in their first order, each once
    /// (what Tab completes from).
    func historyValues(for name: String) -> [String] {
        var out: [String] = []
        for group in historyValueGroups(for: name) {
            for v in group.values where !out.contains(v) { out.append(v) }
        }
        return out
    }

    /// The same values by table (`projects.status`, `tasks.status`): the hint names whose they are.
    func historyValueGroups(for name: String) -> [(table: String, values: [String])] {
        guard let schema, !name.isEmpty else { return [] }
        var out: [(table: String, values: [String])] = []
        for t in schema.tableNames {
            var values: [String] = []
            for check in schema.tables[t]!.checks where check.column == name {
                for v in check.values ?? [] where !values.contains(v) { values.append(v) }
            }
            if !values.isEmpty { out.append((t, values)) }
        }
        return out
    }

    /// What the name suggests, above the editor: the parts it fills and the key that drops it.
    func suggestionNotes(_ c: ColumnDraft) -> [Field] {
        guard let s = c.suggestion, !c.suggestedParts.isEmpty else { return [] }
        return [Field(nil, "", .note("≈ From the name (\(s.rule)): " + ColumnSummary.suggested(c) + ". Alt-x drops it."))]
    }

    /// The columns list's one-line field: a whole column as `name:type!=default:options`, or the
    /// allowed values of the column the last line added, when its name asks for them.
    var lineField: Field {
        let t = state.table
        if let k = t.askingValues, k < t.columns.count {
            return Field(.columnLine, "Values of \(t.columns[k].name) (comma-separated)", .text(t.line),
                         hint: "e.g. DRAFT, SENT, PAID, VOID; the first is the default. Enter sets them; empty leaves free text.")
        }
        var f = Field(.columnLine, "Column line (name:type!=default:options)", .text(t.line),
                      hint: lineHint)
        if case .failure = ColumnLine.parse(t.line), !t.line.isEmpty {} else { f.completions = lineCompletions }
        return f
    }

    /// The hint of the line: its error, pointing at the part, else what it reads as, else the syntax.
    var lineHint: String {
        let t = state.table.line
        if t.trimmed.isEmpty {
            return "e.g. project_id, amount:numeric(12,2)!, status=DRAFT:enum(DRAFT,SENT), number:string(64):unique; the name suggests the rest. Enter adds it (empty: + Add column)."
        }
        switch ColumnLine.parse(t) {
        case .failure(let e): return LineMessage.text(e, line: t)
        case .success:
            guard let p = state.table.pending else { return "" }
            return "Reads as: " + p.line.text + (p.suggestion.map { " (≈ from the name: \($0.rule))" } ?? "") + ". Enter adds it."
        }
    }

    /// Tab in the line: after `fk=` the history's tables, else the history's column names.
    var lineCompletions: [String] {
        let t = state.table.line
        guard let schema else { return [] }
        if let r = t.range(of: "fk=", options: .backwards), !t[r.upperBound...].contains(":") {
            return schema.tableNames.map { String(t[..<r.upperBound]) + $0 }
        }
        if t.contains(":") { return [] }
        return Array(Set(schema.tables.values.flatMap { $0.columns.map(\.name) })).sorted()
    }

    /// The referenced-table hint: the history's tables, closest to what is typed first.
    func tableHint(for typed: String) -> String {
        guard let schema, !schema.tableNames.isEmpty else {
            return "The referenced table, e.g. projects. Empty removes the foreign key."
        }
        let names = typed.trimmed.isEmpty ? schema.tableNames : schema.closeTableNames(to: typed.trimmed, limit: 8)
        if names.isEmpty { return "No table in the history is close to \"\(typed.trimmed)\". Empty removes the FK." }
        return "Tables: " + names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "") + ". Empty removes the FK."
    }

    func foreignKeyEditorFields(_ c: ColumnDraft) -> [Field] {
        let choices = ["none"] + OnDelete.allCases.map(\.rawValue)
        let index = c.onDelete.map { OnDelete.allCases.firstIndex(of: $0)! + 1 } ?? 0
        return [
            Field(nil, "", .note("Column \(c.name.isEmpty ? "(unnamed)" : c.name) references:")),
            Field(.fkTable, "Table", .text(c.referencesTable), hint: tableHint(for: c.referencesTable)),
            Field(.fkColumn, "Column", .text(c.referencesColumn), hint: "The referenced column, usually id."),
            Field(.fkOnDelete, "On delete", .choice(choices, index), hint: "←/→ chooses. SET NULL needs a nullable column."),
            Field(.fkDone, "", .button("Done ‹ back to foreign keys"), hint: "Enter (or Esc) returns to the list."),
        ]
    }
}

/// One-line summaries of columns for lists.
enum ColumnSummary {
    static func line(_ c: ColumnDraft) -> String {
        var parts = [c.name.isEmpty ? "(unnamed)" : c.name, typeText(c)]
        if c.primaryKey { parts.append("PK") } else if !c.nullable { parts.append("NOT NULL") }
        if c.unique { parts.append("unique") }
        if c.index { parts.append("index") }
        if !c.enumText.trimmed.isEmpty { parts.append("enum") }
        if c.hasForeignKey { parts.append("→ \(c.referencesTable)" + (c.onDelete.map { " \($0.rawValue)" } ?? "")) }
        if !c.defaultText.trimmed.isEmpty { parts.append("=\(c.defaultText.trimmed)") }
        return parts.joined(separator: "  ")
    }

    /// The parts a suggestion filled, in words: `uuid, NOT NULL, → projects.id CASCADE`.
    static func suggested(_ c: ColumnDraft) -> String {
        let parts = c.suggestedParts
        var words: [String] = []
        if !Set(parts).isDisjoint(with: [.type, .length, .precision, .scale]) { words.append(typeText(c)) }
        if parts.contains(.nullable) { words.append(c.nullable ? "nullable" : "NOT NULL") }
        if parts.contains(.defaultValue), !c.defaultText.isEmpty { words.append("default \(c.defaultText)") }
        if parts.contains(.references) { words.append("→ \(c.referencesTable).\(c.referencesColumn)" + (c.onDelete.map { " \($0.rawValue)" } ?? "")) }
        if c.suggestion?.asksValues == true, c.enumText.isEmpty { words.append("allowed values next") }
        return words.joined(separator: ", ")
    }

    static func typeText(_ c: ColumnDraft) -> String {
        switch c.type {
        case .string: return c.length.trimmed.isEmpty ? "string" : "string(\(c.length.trimmed))"
        case .numeric:
            if c.precision.trimmed.isEmpty { return "numeric" }
            return "numeric(\(c.precision.trimmed),\(c.scale.trimmed.isEmpty ? "0" : c.scale.trimmed))"
        default: return c.type.rawValue
        }
    }

    static func defaultHint(_ type: ColumnType) -> String {
        switch type {
        case .datetime: return "now (the time of each insert), 2026-01-31 09:00:00+00, sql:EXPR, or empty."
        case .date: return "now (the date of each insert), 2026-01-31, sql:EXPR, or empty for none."
        case .boolean: return "true or false, or empty for none."
        case .integer, .bigint, .smallint, .numeric, .float: return "A number, e.g. 0, sql:EXPR, or empty for none."
        case .json, .jsonb: return "JSON, e.g. {} or [], or empty for none."
        case .uuid: return "sql:gen_random_uuid() for a new one per row, a UUID, or empty."
        default: return "Text as is (no quotes), sql:EXPR for an SQL expression, or empty."
        }
    }
}

/// A line's error in words, quoting the part it points at.
enum LineMessage {
    static func text(_ e: ColumnLineError, line: String) -> String {
        let chars = Array(line)
        let part = e.offset < chars.count ? String(chars[e.offset..<min(chars.count, e.offset + max(1, e.length))]) : "the end"
        let at = e.offset < chars.count ? "At \"\(part)\" (character \(e.offset + 1))" : "At the end"
        func maybe(_ close: [String]) -> String { close.isEmpty ? "" : "; did you mean " + close.joined(separator: " or ") + "?" }
        switch e.kind {
        case .missingName: return "The line starts with the column's name, e.g. amount:numeric(12,2)."
        case .unknownType(let t, let close): return "\(at): \"\(t)\" is not a type" + maybe(close) + (close.isEmpty ? " Types: " + ColumnType.pickerOrder.map(\.rawValue).joined(separator: ", ") + "." : "")
        case .badParameters(let type, _):
            switch type {
            case .string: return "\(at): string takes a length, e.g. string(64)."
            case .numeric: return "\(at): numeric takes precision and scale, e.g. numeric(12,2)."
            default: return "\(at): \(type.rawValue) takes no parameters."
            }
        case .unknownOption(let o, let close): return "\(at): \"\(o)\" is not an option" + maybe(close) + (close.isEmpty ? " Options: pk, fk=TABLE, cascade, set-null, restrict, enum(A,B), unique, index." : "")
        case .missingValue(let option):
            switch option {
            case "fk": return "\(at): fk= names the table, e.g. fk=projects or fk=projects.id."
            case "enum": return "\(at): enum takes the values, e.g. enum(DRAFT,SENT)."
            default: return "\(at): = takes the default, e.g. =0 or =now."
            }
        case .unclosed(let c): return "\(at): the \(c) is not closed" + (c == "'" ? " (write '' for a quote inside)." : "; close it with ).")
        case .repeated(let o): return "\(at): \(o) is already given."
        case .onDeleteWithoutForeignKey(let w): return "\(at): \(w) needs a foreign key: add fk=TABLE before it."
        case .unexpected(let text) where text.hasPrefix("="):
            return "\(at): a default goes right after the name, the type or an option, e.g. status=DRAFT:enum(DRAFT,SENT); fk= takes only its table."
        case .unexpected: return "\(at): this belongs to no part; parts are separated by :."
        }
    }
}

/// Maps a spec field path (`create_table.columns[3].length`) to the wizard's step and field.
enum FieldPath {
    /// The path under the operation being answered (`operations[1].alter_enum.values` → `alter_enum.values`);
    /// nil for another operation's problem.
    static func local(_ path: String, model: WizardModel) -> String? {
        guard let k = operationIndex(path, model: model) else { return path }
        guard k == model.currentOperation else { return nil }
        guard path.hasPrefix("operations[") else { return path }
        guard let dot = path.firstIndex(of: ".") else { return nil }
        return String(path[path.index(after: dot)...])
    }

    /// The operation a path names (`operations[2]...` is 2; a lone operation's path is 0), nil for the description.
    /// A lone operation need not be the one being answered: after + Add another operation, Empty adds none.
    static func operationIndex(_ path: String, model: WizardModel) -> Int? {
        if path.hasPrefix("operations[") { return index(in: path) }
        return path.hasPrefix("description") || model.spec.operations.isEmpty ? nil : 0
    }

    static func location(_ fullPath: String, model: WizardModel) -> (Step, FieldID, column: Int?) {
        if fullPath.hasPrefix("description") { return (.description, .description, nil) }
        // Another operation's problem is listed on Review, at that operation's row; Enter there opens it.
        guard let path = local(fullPath, model: model) else { return (.review, .operationRow(operationIndex(fullPath, model: model) ?? 0), nil) }
        let parts = path.split(separator: ".").map(String.init)
        let currentKey = model.currentOperation.flatMap { $0 < model.spec.operations.count ? model.spec.operations[$0].key : nil }
        if let key = parts.first, let flow = model.state.operation.flow, key == currentKey {
            let attribute = parts.dropFirst().joined(separator: ".")
            return (.change, .change(flow.field(for: attribute, model.state.change, model.flowContext)), nil)
        }
        guard parts.count >= 2 else { return (.table, .tableName, nil) }
        let second = parts[1]
        if second == "name" || second == "timestamps" { return (.table, .tableName, nil) }
        if second.hasPrefix("columns") {
            guard let k = index(in: second) else { return (.columns, .addColumn, nil) }
            let i = k - model.state.presetCount
            guard i >= 0 else { return (.table, .idPreset, nil) }
            // The column the line is typing: its problems stand at the line.
            if i >= model.state.table.columns.count, model.state.table.pending != nil { return (.columns, .columnLine, nil) }
            let attr = parts.count > 2 ? parts[2] : "name"
            if attr.hasPrefix("enum") { return (.enums, .enumValues(i), nil) }
            if attr == "default", i < model.state.table.columns.count, !model.state.table.columns[i].enumText.trimmed.isEmpty {
                return (.enums, .enumDefault(i), nil)
            }
            if attr.hasPrefix("foreign_key") {
                let field: FieldID = parts.count > 3 ? (parts[3] == "ondelete" ? .fkOnDelete : parts[3] == "column" ? .fkColumn : .fkTable) : .fkTable
                return (.foreignKeys, field, i)
            }
            let field: FieldID
            switch attr {
            case "type": field = .columnType
            case "length": field = .columnLength
            case "precision": field = .columnPrecision
            case "scale": field = .columnScale
            case "nullable": field = .columnNullable
            case "unique": field = .columnUnique
            case "index": field = .columnIndex
            case "default": field = .columnDefault
            case "primary_key": field = .columnPrimaryKey
            default: field = .columnName
            }
            return (.columns, field, i)
        }
        if second.hasPrefix("indexes") {
            return (.indexes, .indexColumns(index(in: second) ?? 0), nil)
        }
        return (.table, .tableName, nil)
    }

    /// A short human label for a path: `invoices.status length`.
    static func label(_ path: String, model: WizardModel) -> String {
        let (step, field, column) = location(path, model: model)
        if local(path, model: model) == nil, let k = operationIndex(path, model: model) {
            return "Operation \(k + 1)"
        }
        switch (step, field) {
        case (.description, _): return "Description"
        case (.change, .change(let key)):
            switch key {
            case .value(let i): return "Value \(i + 1)"
            case .mapTarget(let v): return "Rows with \(v)"
            default: return "\(key)".replacingOccurrences(of: "referencesTable", with: "references table").replacingOccurrences(of: "referencesColumn", with: "references column").capitalizedFirst
            }
        case (.table, _): return "Table"
        case (.enums, .enumValues(let i)): return columnName(i, model) + " values"
        case (.enums, .enumDefault(let i)): return columnName(i, model) + " default"
        case (.indexes, .indexColumns(let i)): return "Index \(i + 1)"
        case (.foreignKeys, _):
            let attr = path.split(separator: ".").last.map(String.init) ?? ""
            let col = column.map { columnName($0, model) } ?? ""
            return "\(col) foreign key" + (["table", "column", "ondelete"].contains(attr) ? " " + attr : "")
        default:
            let attr = path.split(separator: ".").last.map(String.init) ?? ""
            let col = column.map { columnName($0, model) } ?? ""
            return "Column \(col)" + (attr.hasPrefix("columns") || attr == "name" ? "" : " " + attr)
        }
    }

    /// The index of the user's column an issue path names, if any.
    static func columnIndex(_ fullPath: String, model: WizardModel) -> Int? {
        guard let path = local(fullPath, model: model) else { return nil }
        let parts = path.split(separator: ".").map(String.init)
        guard parts.count >= 2, parts[1].hasPrefix("columns"), let k = index(in: parts[1]) else { return nil }
        let i = k - model.state.presetCount
        return i >= 0 ? i : nil
    }

    static func columnName(_ i: Int, _ model: WizardModel) -> String {
        guard i < model.state.table.columns.count else { return "\(i + 1)" }
        let n = model.state.table.columns[i].name
        return n.isEmpty ? "\(i + 1 + model.state.presetCount)" : n
    }

    static func index(in component: String) -> Int? {
        guard let open = component.firstIndex(of: "["), let close = component.firstIndex(of: "]") else { return nil }
        return Int(component[component.index(after: open)..<close])
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }

    func padded(to width: Int) -> String {
        let w = DisplayWidth.of(self)
        return w >= width ? self : self + String(repeating: " ", count: width - w)
    }
}

extension WizardModel {
    /// One line for an operation on Review.
    static func summary(_ d: OperationDraft) -> String {
        switch d.operation {
        case .createTable: return "create_table \(d.table.name.trimmed)"
        case .addColumns: return "add_columns \(d.table.name.trimmed) (" + d.table.columns.map { $0.name.trimmed }.joined(separator: ", ") + ")"
        case .empty: return "empty"
        default: return d.operation.flow!.summary(d.change)
        }
    }

    /// A step's title: the change step is named by its operation.
    public func title(of step: Step) -> String {
        step == .change ? state.operation.title : step.title
    }
}
