/// Checks a spec against the contract's rules and reports every problem with its field and fix.
///
/// The wizard calls this on every keystroke, so it only looks at the spec itself; the
/// history (which tables exist) is checked separately.
public enum SpecValidator {
    /// PostgreSQL's limit on identifier length, in bytes.
    public static let maxIdentifierBytes = 63
    /// The longest `string` length PostgreSQL accepts for VARCHAR.
    public static let maxStringLength = 10_485_760

    /// Every problem in `spec`; empty when it can be rendered.
    public static func issues(in spec: MigrationSpec, description: String? = nil) -> [SpecIssue] {
        var v = Validation()
        let text = description ?? spec.description
        if text?.trimmed(" \t\r\n").isEmpty ?? true {
            v.add("description", "is missing", "give a short description such as \"add invoices table\" (argument or \"description\" in the spec)")
        }
        let single = spec.operations.count == 1 && !spec.operationsListed
        var tableNames: [String: String] = [:]
        for (i, op) in spec.operations.enumerated() {
            let path = single ? op.key : "operations[\(i)].\(op.key)"
            switch op {
            case .createTable(let t):
                v.createTable(t, path)
                if let earlier = tableNames[t.name] {
                    v.add(path + ".name", "creates table \(t.name) again (\(earlier) creates it already)", "give one of them another name")
                } else {
                    tableNames[t.name] = path
                }
            default:
                v.change(op, path)
            }
        }
        return v.issues
    }

    /// Whether `name` is a valid unquoted identifier: `[a-z_][a-z0-9_]*`.
    public static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || (first >= 97 && first <= 122) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }
    }

    /// Words PostgreSQL reserves; as names they would need quoting everywhere, raw SQL included.
    public static let reservedWords: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary", "both",
        "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint", "create", "cross",
        "current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
        "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
        "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner",
        "intersect", "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
        "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
        "overlaps", "placing", "primary", "references", "returning", "right", "select", "session_user", "similar",
        "some", "symmetric", "system_user", "table", "tablesample", "then", "to", "trailing", "true", "union", "unique",
        "user", "using", "variadic", "verbose", "when", "where", "window", "with",
    ]

    struct Validation {
        var issues: [SpecIssue] = []

        mutating func add(_ field: String, _ problem: String, _ fix: String) {
            issues.append(SpecIssue(field: field, problem: problem, fix: fix))
        }

        /// Checks a name the user chose.
        mutating func identifier(_ name: String, _ field: String, what: String) {
            if name.isEmpty {
                add(field, "is empty", "give the \(what) a name like \(what == "table" ? "invoices" : "status") (lowercase letters, digits, _)")
            } else if !SpecValidator.isIdentifier(name) {
                let suggestion = suggestedIdentifier(name)
                add(field, "\"\(name)\" is not a valid \(what) name", "use lowercase letters, digits and _, starting with a letter or _" + (suggestion.isEmpty ? "" : ", e.g. \"\(suggestion)\""))
            } else if name.utf8.count > SpecValidator.maxIdentifierBytes {
                add(field, "\"\(name)\" is \(name.utf8.count) bytes, over PostgreSQL's 63-byte limit", "shorten the \(what) name")
            } else if SpecValidator.reservedWords.contains(name) {
                add(field, "\"\(name)\" is a reserved word in PostgreSQL", "choose another \(what) name, e.g. \"\(name)_\(what == "table" ? "items" : "value")\"")
            }
        }

        /// Checks a name the tool generates from the user's names.
        mutating func generatedName(_ name: String, _ field: String, kind: String) {
            if name.utf8.count > SpecValidator.maxIdentifierBytes {
                add(field, "the \(kind) name \(name) would be \(name.utf8.count) bytes, over PostgreSQL's 63-byte limit", "shorten the table or column name by \(name.utf8.count - SpecValidator.maxIdentifierBytes) characters")
            }
        }

        mutating func createTable(_ t: CreateTable, _ path: String) {
            identifier(t.name, path + ".name", what: "table")
            if t.columns.isEmpty {
                add(path + ".columns", "is empty", "add at least one column, e.g. {\"name\": \"id\", \"type\": \"uuid\", \"primary_key\": true}")
            }
            var seen: [String: Int] = [:]
            for (i, c) in t.columns.enumerated() {
                let cpath = path + ".columns[\(i)]"
                column(c, table: t, cpath)
                if !c.name.isEmpty {
                    if let first = seen[c.name] {
                        add(cpath + ".name", "\"\(c.name)\" is already column \(first + 1)", "rename or remove one of the two")
                    } else {
                        seen[c.name] = i
                    }
                }
                if t.timestamps, c.name == "created_at" || c.name == "updated_at" {
                    add(cpath + ".name", "\"\(c.name)\" is added by \"timestamps\": true already", "remove this column or set \"timestamps\": false")
                }
            }
            let all = Set(t.columns.map(\.name) + (t.timestamps ? ["created_at", "updated_at"] : []))
            var indexNames = Set(TableDefinition.columnIndexNames(t))
            for (i, idx) in t.indexes.enumerated() {
                let ipath = path + ".indexes[\(i)]"
                if idx.columns.isEmpty {
                    add(ipath + ".columns", "is empty", "list the columns to index, e.g. [\"status\", \"created_at\"]")
                    continue
                }
                for (j, name) in idx.columns.enumerated() where !all.contains(name) {
                    add(ipath + ".columns[\(j)]", "\"\(name)\" is not a column of \(t.name)", "use one of: " + t.columns.map(\.name).joined(separator: ", "))
                }
                if Set(idx.columns).count != idx.columns.count {
                    add(ipath + ".columns", "lists a column twice", "list each column once")
                }
                let name = TableDefinition.name(of: idx, table: t.name)
                generatedName(name, ipath + ".columns", kind: idx.unique ? "unique constraint" : "index")
                if !indexNames.insert(name).inserted {
                    add(ipath, "repeats \(idx.unique ? "the unique constraint" : "the index") \(name)", "remove it: it exists already")
                }
            }
        }

        mutating func column(_ c: Column, table t: CreateTable, _ path: String) {
            identifier(c.name, path + ".name", what: "column")
            let tn = t.name
            if c.length != nil, c.type != .string {
                add(path + ".length", "applies only to type string, not \(c.type.rawValue)", "remove \"length\" or make the type string")
            }
            if let n = c.length, !(1...SpecValidator.maxStringLength).contains(n) {
                add(path + ".length", "\(n) is out of range", "use a length from 1 to \(SpecValidator.maxStringLength), or type text for unlimited")
            }
            if c.precision != nil || c.scale != nil, c.type != .numeric {
                add(path + (c.precision != nil ? ".precision" : ".scale"), "applies only to type numeric, not \(c.type.rawValue)", "remove it or make the type numeric")
            } else if c.type == .numeric {
                if let p = c.precision, !(1...1000).contains(p) {
                    add(path + ".precision", "\(p) is out of range", "use a precision from 1 to 1000, e.g. 12")
                }
                if let s = c.scale {
                    if c.precision == nil {
                        add(path + ".scale", "needs a precision", "add \"precision\", e.g. 12 with scale \(s)")
                    } else if s < 0 || s > c.precision! {
                        add(path + ".scale", "\(s) must be from 0 to the precision (\(c.precision!))", "use a scale such as 2")
                    }
                }
            }
            if c.primaryKey, c.nullable == true {
                add(path + ".nullable", "a primary key cannot be nullable", "remove \"nullable\": true")
            }
            if c.primaryKey, c.unique {
                add(path + ".unique", "a primary key is unique already", "remove \"unique\"")
            }
            if c.unique { generatedName(TableDefinition.uniqueName(table: tn, columns: [c.name]), path + ".unique", kind: "unique constraint") }
            if c.index || c.foreignKey != nil {
                generatedName(TableDefinition.indexName(table: tn, columns: [c.name]), path + (c.foreignKey != nil ? ".foreign_key" : ".index"), kind: "index")
            }
            if let values = c.enumValues { enumValues(values, c, tn, path) }
            if let d = c.defaultValue { defaultValue(d, c, path + ".default") }
            if let fk = c.foreignKey {
                let fpath = path + ".foreign_key"
                identifier(fk.table, fpath + ".table", what: "table")
                identifier(fk.column, fpath + ".column", what: "column")
                generatedName(TableDefinition.foreignKeyName(table: tn, column: c.name), fpath, kind: "foreign key")
                if fk.table == tn, !fk.column.isEmpty, !t.columns.contains(where: { $0.name == fk.column }) {
                    add(fpath + ".column", "\(tn) has no column \"\(fk.column)\" to reference", "reference one of: " + t.columns.map(\.name).joined(separator: ", "))
                }
                if fk.onDelete == .setNull, !c.isNullable {
                    add(fpath + ".ondelete", "SET NULL needs a nullable column, but \(c.name) is NOT NULL", "make the column nullable, or use CASCADE or RESTRICT")
                }
                if fk.onDelete == .setDefault, !c.isNullable, c.defaultValue == nil {
                    add(fpath + ".ondelete", "SET DEFAULT needs a default, but \(c.name) is NOT NULL without one", "give the column a default, or use CASCADE or RESTRICT")
                }
            }
        }

        mutating func enumValues(_ values: [String], _ c: Column, _ tn: String, _ path: String) {
            let epath = path + ".enum"
            guard c.type.isTextual else {
                add(epath, "applies only to string and text columns, not \(c.type.rawValue)", "make the type string, or remove \"enum\"")
                return
            }
            if values.isEmpty { add(epath, "is empty", "list the allowed values, e.g. [\"DRAFT\", \"SENT\"]") }
            var seen = Set<String>()
            for (i, value) in values.enumerated() {
                if value.isEmpty {
                    add(epath + "[\(i)]", "is an empty value", "remove it or give it text, e.g. \"DRAFT\"")
                } else if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                    add(epath + "[\(i)]", "contains a control character", "use printable text")
                } else if !seen.insert(value).inserted {
                    add(epath + "[\(i)]", "\"\(value)\" is listed twice", "list each value once")
                }
            }
            generatedName(TableDefinition.checkName(table: tn, column: c.name), epath, kind: "check constraint")
            if c.type == .string, let longest = values.max(by: { $0.count < $1.count }) {
                let length = c.length ?? 255
                if longest.count > length {
                    add(path + ".length", "\(length) cannot hold the enum value \"\(longest)\" (\(longest.count) characters)", "set \"length\" to at least \(longest.count)")
                }
            }
            if let d = c.defaultValue, case .string(let s) = d, !values.contains(s) {
                add(path + ".default", "\"\(s)\" is not one of the enum values", "use one of: " + values.joined(separator: ", "))
            }
        }

        mutating func defaultValue(_ d: ColumnDefault, _ c: Column, _ path: String) {
            let type = c.type.rawValue
            switch (d, c.type) {
            case (.now, _): break
            case (.sql(let e), _):
                if let problem = DefaultExpression.problem(e) {
                    add(path + ".sql", problem, "write one SQL expression such as gen_random_uuid(), lower('X') or 0")
                }
            case (.string(let s), _):
                let timeLike = c.type == .datetime || c.type == .date
                if c.type.isNumeric || c.type == .boolean || c.type.isJSON {
                    let example = c.type == .boolean ? "true" : c.type.isJSON ? "{}" : "0"
                    add(path, "\"\(s)\" is a string, but \(c.name) is \(type)", "write the default without quotes, e.g. \(example)")
                } else if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                    add(path, "contains a control character", "use printable text")
                } else if timeLike, PostgresLiteral.isRelativeSpecial(s) || PostgresLiteral.looksLikeExpression(s) {
                    add(path, "\"\(s)\" would be stored as the moment the migration ran, not the time of each insert",
                        "write \"now\" (\(c.type == .date ? "CURRENT_DATE" : "now()") on every insert)")
                } else if PostgresLiteral.looksLikeExpression(s) {
                    add(path, "\"\(s)\" is an SQL expression, but a string default is stored as that text",
                        "write {\"sql\": \"\(s)\"} in a spec (sql:\(s) in the wizard) for the expression; for the text itself, {\"sql\": \"\(SQL.literal(s))\"}")
                } else if c.type == .string, s.count > (c.length ?? 255) {
                    add(path, "is longer than the column's length \(c.length ?? 255)", "shorten the default or raise \"length\"")
                } else if c.type == .date, !PostgresLiteral.isDate(s) {
                    add(path, "\"\(s)\" is not a date", "write YYYY-MM-DD, or \"now\" for the date of each insert")
                } else if c.type == .datetime, !PostgresLiteral.isTimestamp(s) {
                    add(path, "\"\(s)\" is not a timestamp", "write YYYY-MM-DD HH:MM:SS+00:00, or \"now\" for the time of each insert")
                } else if c.type == .uuid, !PostgresLiteral.isUUID(s) {
                    add(path, "\"\(s)\" is not a UUID", "write one like a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11, or {\"sql\": \"gen_random_uuid()\"} for a new one per row")
                }
            case (.bool, .boolean): break
            case (.bool(let b), _):
                add(path, "\(b) is a boolean, but \(c.name) is \(type)", c.type.isTextual ? "write it as a string: \"\(b)\"" : "use a value of type \(type)")
            case (.int(let n), _) where c.type.isNumeric:
                if c.type == .smallint, !(Int(Int16.min)...Int(Int16.max)).contains(n) {
                    add(path, "\(n) does not fit a smallint", "use integer or bigint, or a smaller default")
                } else if c.type == .integer, !(Int(Int32.min)...Int(Int32.max)).contains(n) {
                    add(path, "\(n) does not fit an integer", "use bigint, or a smaller default")
                }
            case (.decimal, _) where c.type == .numeric || c.type == .float:
                break
            case (.decimal(let x), _) where c.type.isInteger:
                add(path, "\(x) is not a whole number, but \(c.name) is \(type)", "use a whole number, or type numeric")
            case (.int, _), (.decimal, _):
                add(path, "a number, but \(c.name) is \(type)", c.type.isTextual ? "write it as a string in quotes" : "use a value of type \(type)")
            case (.json, _) where c.type.isJSON: break
            case (.json, _):
                add(path, "an object or array, but \(c.name) is \(type)", "make the type jsonb, or use a value of type \(type)")
            }
            if case .now = d, c.type != .datetime, c.type != .date {
                add(path, "\"now\" applies to datetime and date columns", "use a literal value for \(type)")
            }
        }

        /// The spec's own rules for an operation on an existing table; the history's are `MigrationPlan`'s.
        mutating func change(_ op: MigrationOperation, _ path: String) {
            identifier(op.table, path + ".table", what: "table")
            func columnName(_ name: String, _ field: String) { identifier(name, field, what: "column") }
            func list(_ items: [String], _ field: String, what: String) {
                if items.isEmpty { add(field, "is empty", "list at least one \(what)") }
                var seen = Set<String>()
                for (j, item) in items.enumerated() where !seen.insert(item).inserted {
                    add(field + "[\(j)]", "\"\(item)\" is listed twice", "list each \(what) once")
                }
            }
            switch op {
            case .createTable: break
            case .addColumns(let o):
                let t = CreateTable(name: o.table, columns: o.columns)
                if o.columns.isEmpty { add(path + ".columns", "is empty", "add at least one column, e.g. {\"name\": \"archived_at\", \"type\": \"datetime\"}") }
                var seen: [String: Int] = [:]
                for (i, c) in o.columns.enumerated() {
                    let cpath = path + ".columns[\(i)]"
                    column(c, table: t, cpath)
                    if c.primaryKey { add(cpath + ".primary_key", "cannot be added to an existing table", "remove \"primary_key\"") }
                    if let first = seen[c.name], !c.name.isEmpty {
                        add(cpath + ".name", "\"\(c.name)\" is already column \(first + 1)", "rename or remove one of the two")
                    } else {
                        seen[c.name] = i
                    }
                }
            case .dropColumns(let o):
                list(o.columns, path + ".columns", what: "column")
                for (i, c) in o.columns.enumerated() { columnName(c, path + ".columns[\(i)]") }
            case .renameColumn(let o):
                columnName(o.column, path + ".column")
                columnName(o.to, path + ".to")
                if o.to == o.column, !o.to.isEmpty { add(path + ".to", "is the column's name already", "give the new name") }
            case .alterColumn(let o):
                columnName(o.column, path + ".column")
                if o.backfill != nil, o.nullable != false {
                    add(path + ".backfill", "applies only with \"nullable\": false", "add \"nullable\": false, or remove \"backfill\"")
                }
                if o.type == nil {
                    for (key, value) in [("length", o.length), ("precision", o.precision), ("scale", o.scale)] where value != nil {
                        add(path + "." + key, "needs \"type\"", "add the type it belongs to, e.g. \"type\": \"\(key == "length" ? "string" : "numeric")\"")
                    }
                } else if let type = o.type {
                    // The type's own fields, checked as a column's are.
                    var typed = Validation()
                    typed.column(Column(name: "x", type: type, length: o.length, precision: o.precision, scale: o.scale), table: CreateTable(name: "t"), path)
                    issues += typed.issues
                }
                if let using = o.using {
                    if o.type == nil {
                        add(path + ".using", "applies only to a type change", "add \"type\", or remove \"using\"")
                    } else if using.trimmed(" \t\r\n").isEmpty {
                        add(path + ".using", "is empty", "write the SQL that converts the old value, e.g. \"CAST(\(o.column) AS INTEGER)\", or leave \"using\" out")
                    } else if let problem = UsingExpression.problem(using) {
                        add(path + ".using", problem, "write one SQL expression over the old value, e.g. \"CAST(\(o.column) AS INTEGER)\"")
                    }
                }
                if case .set(let d)? = o.defaultValue, case .sql(let e) = d, let problem = DefaultExpression.problem(e) {
                    add(path + ".default.sql", problem, "write one SQL expression such as gen_random_uuid(), lower('X') or 0")
                }
            case .alterEnum(let o):
                columnName(o.column, path + ".column")
                list(o.values, path + ".values", what: "value")
                for (i, value) in o.values.enumerated() where value.isEmpty || value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                    add(path + ".values[\(i)]", value.isEmpty ? "is an empty value" : "contains a control character", "give it printable text, e.g. \"DRAFT\"")
                }
            case .addCheck(let o):
                if (o.column == nil) == (o.name == nil) {
                    add(path + (o.column == nil ? ".column" : ".name"), o.column == nil ? "is missing" : "cannot stand beside \"column\"",
                        "give \"column\" for a rule on one column (chk_\(o.table)_<column>), or \"name\" for one over several (chk_\(o.table)_<name>)")
                }
                if let c = o.column { columnName(c, path + ".column") }
                if let n = o.name { identifier(n, path + ".name", what: "column") }
                if o.expression.trimmed(" \t\r\n").isEmpty {
                    add(path + ".expression", "is empty", "write the SQL condition, e.g. \"budget >= 0\"")
                } else if let problem = CheckExpression.problem(o.expression) {
                    add(path + ".expression", problem, "write one SQL condition such as \"budget >= 0\"")
                }
                generatedName(o.constraintName, path + (o.name != nil ? ".name" : ".column"), kind: "check constraint")
            case .createIndex(let o):
                list(o.columns, path + ".columns", what: "column")
                for (i, c) in o.columns.enumerated() { columnName(c, path + ".columns[\(i)]") }
                if let n = o.name { identifier(n, path + ".name", what: "index") }
                if let p = o.predicate, let problem = CheckExpression.problem(p) {
                    add(path + ".where", problem, "write one SQL condition such as \"archived_at IS NULL\"")
                }
                if !o.columns.isEmpty { generatedName(o.indexName, path + ".columns", kind: o.unique ? "unique index" : "index") }
            case .dropIndex(let o):
                if o.name.isEmpty { add(path + ".name", "is empty", "give the index's name, e.g. idx_\(o.table)_status") }
            case .addForeignKey(let o):
                columnName(o.column, path + ".column")
                identifier(o.references.table, path + ".references.table", what: "table")
                identifier(o.references.column, path + ".references.column", what: "column")
                generatedName(TableDefinition.foreignKeyName(table: o.table, column: o.column), path + ".column", kind: "foreign key")
                generatedName(TableDefinition.indexName(table: o.table, columns: [o.column]), path + ".column", kind: "index")
            case .dropConstraint(let o):
                if o.name.isEmpty { add(path + ".name", "is empty", "give the constraint's name, e.g. fk_\(o.table)_project_id") }
            case .renameTable(let o):
                identifier(o.to, path + ".to", what: "table")
                if o.to == o.table, !o.to.isEmpty { add(path + ".to", "is the table's name already", "give the new name") }
            case .dropTable: break
            }
        }

        private func suggestedIdentifier(_ name: String) -> String {
            (try? MigrationNaming.slug(name)).map { s in s.first!.isNumber ? "_" + s : s } ?? ""
        }
    }
}
