import Foundation

/// Reads a JSON spec (version 1) into a `MigrationSpec`, naming every unknown
/// field, wrong type and bad value by its path.
public enum SpecReader {
    /// Parses JSON text; reports every problem found, not just the first.
    ///
    /// When a field cannot be read, the rest of the spec is still validated (as far as it reads)
    /// so that every problem comes out at once, in the order of the fields. `description` is the
    /// one from the command line, which wins over the spec's.
    public static func read(json data: Data, description: String? = nil) throws(VejaMigrateError) -> MigrationSpec {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw .invalidInput([SpecIssue(field: "spec", problem: "is not valid JSON (\(jsonErrorSummary(error)))", fix: "check commas, quotes and brackets")])
        }
        var reader = Reader()
        let spec = reader.spec(root)
        if !reader.issues.isEmpty {
            // A column whose type could not be read has no type-dependent checks worth reporting.
            let typeDependent = ["length", "precision", "scale", "enum", "default"]
            // A field the reader already reported (a missing name is also an empty one) is reported once.
            let read = Set(reader.issues.map(\.field))
            let validation = SpecValidator.issues(in: spec, description: description).filter { issue in
                !read.contains(issue.field)
                    && !reader.untypedColumns.contains { column in typeDependent.contains { issue.field.hasPrefix(column + "." + $0) } }
            }
            throw .invalidInput(SpecIssue.inFieldOrder(reader.issues + validation))
        }
        return spec
    }

    private static func jsonErrorSummary(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let ctx) = error {
            let underlying = (ctx.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? ctx.debugDescription
        }
        return "\(error)"
    }

    private struct Reader {
        var issues: [SpecIssue] = []
        /// Paths of columns whose `type` is not one the spec knows.
        var untypedColumns: [String] = []

        mutating func issue(_ field: String, _ problem: String, _ fix: String) {
            issues.append(SpecIssue(field: field, problem: problem, fix: fix))
        }

        mutating func object(_ value: JSONValue, _ path: String, allowed: [String]) -> [String: JSONValue]? {
            guard case .object(let o) = value else {
                issue(path.isEmpty ? "spec" : path, "must be an object, not \(value.typeName)", "write it as {...}")
                return nil
            }
            for key in o.keys.sorted() where !allowed.contains(key) {
                issue(join(path, key), "is not a known option", "remove it; allowed here: \(allowed.joined(separator: ", "))")
            }
            return o
        }

        func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

        mutating func string(_ o: [String: JSONValue], _ key: String, _ path: String, required: Bool = false) -> String? {
            guard let v = o[key] else {
                if required { issue(join(path, key), "is required", "add \"\(key)\": \"...\"") }
                return nil
            }
            guard case .string(let s) = v else {
                issue(join(path, key), "must be a string, not \(v.typeName)", "write it in double quotes")
                return nil
            }
            return s
        }

        mutating func bool(_ o: [String: JSONValue], _ key: String, _ path: String) -> Bool? {
            guard let v = o[key] else { return nil }
            guard case .bool(let b) = v else {
                issue(join(path, key), "must be true or false, not \(v.typeName)", "write true or false without quotes")
                return nil
            }
            return b
        }

        mutating func int(_ o: [String: JSONValue], _ key: String, _ path: String) -> Int? {
            guard let v = o[key] else { return nil }
            switch v {
            case .int(let i): return i
            case .decimal(let d) where Int(d.description) != nil: return Int(d.description)
            default:
                issue(join(path, key), "must be a whole number, not \(v.typeName)", "write a number without quotes, e.g. 64")
                return nil
            }
        }

        mutating func array(_ o: [String: JSONValue], _ key: String, _ path: String) -> [JSONValue]? {
            guard let v = o[key] else { return nil }
            guard case .array(let a) = v else {
                issue(join(path, key), "must be an array, not \(v.typeName)", "write it as [...]")
                return nil
            }
            return a
        }

        mutating func spec(_ root: JSONValue) -> MigrationSpec {
            let opKeys = MigrationOperation.keys
            guard let o = object(root, "", allowed: ["version", "description", "details", "safe", "operations"] + opKeys) else {
                return MigrationSpec()
            }
            if let v = o["version"], v != .int(1) {
                issue("version", "is \(v.compactText), but this vejamigrate reads spec version 1", "write \"version\": 1 or leave it out")
            }
            var spec = MigrationSpec()
            spec.description = string(o, "description", "")
            spec.details = string(o, "details", "")
            spec.safe = bool(o, "safe", "")
            let direct = opKeys.filter { o[$0] != nil }
            if let list = array(o, "operations", "") {
                spec.operationsListed = list.count == 1  // several are always paths of the list
                if !direct.isEmpty {
                    issue(direct[0], "cannot stand beside \"operations\"", "move it into the \"operations\" list")
                }
                for (i, item) in list.enumerated() {
                    let path = "operations[\(i)]"
                    guard let io = object(item, path, allowed: opKeys) else { continue }
                    guard io.count == 1, let key = io.keys.first else {
                        issue(path, "must hold exactly one operation", "write one of {\"create_table\": {...}}, {\"add_columns\": {...}}, ... per list entry")
                        continue
                    }
                    if let op = operation(key, io[key]!, join(path, key)) { spec.operations.append(op) }
                }
                if list.isEmpty { issue("operations", "is empty", "add at least one operation, e.g. {\"create_table\": {...}}") }
            } else {
                for key in direct {
                    if let op = operation(key, o[key]!, key) { spec.operations.append(op) }
                }
            }
            return spec
        }

        mutating func operation(_ key: String, _ value: JSONValue, _ path: String) -> MigrationOperation? {
            switch key {
            case "create_table": return createTable(value, path).map(MigrationOperation.createTable)
            case "add_columns":
                guard let o = object(value, path, allowed: ["table", "columns", "safe"]) else { return nil }
                var op = AddColumns(table: string(o, "table", path, required: true) ?? "", columns: [], safe: bool(o, "safe", path))
                if let cols = array(o, "columns", path) {
                    for (i, c) in cols.enumerated() {
                        if let col = column(c, join(path, "columns") + "[\(i)]") { op.columns.append(col) }
                    }
                } else if o["columns"] == nil {
                    issue(join(path, "columns"), "is required", "add \"columns\": [{\"name\": \"archived_at\", \"type\": \"datetime\"}]")
                }
                return .addColumns(op)
            case "drop_columns":
                guard let o = object(value, path, allowed: ["table", "columns", "safe"]) else { return nil }
                let columns = names(o, "columns", path, example: "[\"legacy_code\"]")
                return .dropColumns(DropColumns(table: string(o, "table", path, required: true) ?? "", columns: columns, safe: bool(o, "safe", path)))
            case "rename_column":
                guard let o = object(value, path, allowed: ["table", "column", "to"]) else { return nil }
                return .renameColumn(RenameColumn(table: string(o, "table", path, required: true) ?? "", column: string(o, "column", path, required: true) ?? "",
                                                  to: string(o, "to", path, required: true) ?? ""))
            case "alter_column":
                guard let o = object(value, path, allowed: ["table", "column", "nullable", "backfill", "type", "length", "precision", "scale", "default", "using", "safe"]) else { return nil }
                var op = AlterColumn(table: string(o, "table", path, required: true) ?? "", column: string(o, "column", path, required: true) ?? "")
                op.nullable = bool(o, "nullable", path)
                if let typeName = string(o, "type", path) {
                    if let t = ColumnType(rawValue: typeName) {
                        op.type = t
                    } else {
                        let synonym = ColumnType.synonyms[typeName.lowercased()]
                        let hint = synonym.map { "use \"\($0.rawValue)\"; the types are " } ?? "use one of "
                        issue(join(path, "type"), "\"\(typeName)\" is not a known type", hint + ColumnType.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                }
                op.length = int(o, "length", path)
                op.precision = int(o, "precision", path)
                op.scale = int(o, "scale", path)
                // Literals are read as text here; the column's type (the history's) decides what they mean.
                if let b = o["backfill"] { op.backfill = columnDefault(b, type: .datetime, join(path, "backfill")) }
                if let d = o["default"] {
                    if d == .null { op.defaultValue = .drop } else { op.defaultValue = columnDefault(d, type: .datetime, join(path, "default")).map(DefaultChange.set) }
                }
                op.using = string(o, "using", path)
                op.safe = bool(o, "safe", path)
                return .alterColumn(op)
            case "alter_enum":
                guard let o = object(value, path, allowed: ["table", "column", "values", "default", "map", "safe"]) else { return nil }
                var op = AlterEnum(table: string(o, "table", path, required: true) ?? "", column: string(o, "column", path, required: true) ?? "", values: [])
                op.values = names(o, "values", path, example: "[\"NEW\", \"DONE\"]", what: "value")
                op.defaultValue = string(o, "default", path)
                if let m = o["map"] {
                    if case .object(let pairs) = m {
                        for key in pairs.keys.sorted() {
                            if case .string(let to) = pairs[key]! { op.map.append(MappedValue(from: key, to: to)) } else {
                                issue(join(path, "map") + "." + key, "must be a string, not \(pairs[key]!.typeName)", "write the new value in double quotes")
                            }
                        }
                    } else {
                        issue(join(path, "map"), "must be an object, not \(m.typeName)", "write it as {\"OLD\": \"NEW\"}")
                    }
                }
                op.safe = bool(o, "safe", path)
                return .alterEnum(op)
            case "add_check":
                guard let o = object(value, path, allowed: ["table", "column", "name", "expression", "safe"]) else { return nil }
                return .addCheck(AddCheck(table: string(o, "table", path, required: true) ?? "", column: string(o, "column", path), name: string(o, "name", path),
                                          expression: string(o, "expression", path, required: true) ?? "", safe: bool(o, "safe", path)))
            case "create_index":
                guard let o = object(value, path, allowed: ["table", "columns", "unique", "where", "name", "safe"]) else { return nil }
                return .createIndex(CreateIndex(table: string(o, "table", path, required: true) ?? "", columns: names(o, "columns", path, example: "[\"status\", \"created_at\"]"),
                                                unique: bool(o, "unique", path) ?? false, predicate: string(o, "where", path), name: string(o, "name", path), safe: bool(o, "safe", path)))
            case "drop_index":
                guard let o = object(value, path, allowed: ["table", "name", "safe"]) else { return nil }
                return .dropIndex(DropIndex(table: string(o, "table", path, required: true) ?? "", name: string(o, "name", path, required: true) ?? "", safe: bool(o, "safe", path)))
            case "add_foreign_key":
                guard let o = object(value, path, allowed: ["table", "column", "references", "safe"]) else { return nil }
                var op = AddForeignKey(table: string(o, "table", path, required: true) ?? "", column: string(o, "column", path, required: true) ?? "",
                                       references: ForeignKey(table: ""), safe: bool(o, "safe", path))
                let rpath = join(path, "references")
                if let r = o["references"], let ro = object(r, rpath, allowed: ["table", "column", "ondelete"]) {
                    op.references = ForeignKey(table: string(ro, "table", rpath, required: true) ?? "", column: string(ro, "column", rpath) ?? "id")
                    if let od = string(ro, "ondelete", rpath) {
                        if let action = OnDelete(rawValue: od.uppercased().split(separator: " ").joined(separator: " ")) {
                            op.references.onDelete = action
                        } else {
                            issue(join(rpath, "ondelete"), "\"\(od)\" is not an ON DELETE action", "use one of " + OnDelete.allCases.map(\.rawValue).joined(separator: ", "))
                        }
                    }
                } else if o["references"] == nil {
                    issue(rpath, "is required", "add \"references\": {\"table\": \"projects\", \"column\": \"id\"}")
                }
                return .addForeignKey(op)
            case "drop_constraint":
                guard let o = object(value, path, allowed: ["table", "name", "safe"]) else { return nil }
                return .dropConstraint(DropConstraint(table: string(o, "table", path, required: true) ?? "", name: string(o, "name", path, required: true) ?? "", safe: bool(o, "safe", path)))
            case "rename_table":
                guard let o = object(value, path, allowed: ["table", "to"]) else { return nil }
                return .renameTable(RenameTable(table: string(o, "table", path, required: true) ?? "", to: string(o, "to", path, required: true) ?? ""))
            case "drop_table":
                guard let o = object(value, path, allowed: ["table"]) else { return nil }
                return .dropTable(DropTable(table: string(o, "table", path, required: true) ?? ""))
            default: return nil
            }
        }

        /// A required list of strings (column names, values), each wrong item named.
        mutating func names(_ o: [String: JSONValue], _ key: String, _ path: String, example: String, what: String = "column name") -> [String] {
            guard let items = array(o, key, path) else {
                if o[key] == nil { issue(join(path, key), "is required", "add \"\(key)\": \(example)") }
                return []
            }
            return items.enumerated().compactMap { j, v in
                if case .string(let s) = v { return s }
                issue(join(path, key) + "[\(j)]", "must be a \(what) string, not \(v.typeName)", "write it in double quotes")
                return nil
            }
        }

        mutating func createTable(_ value: JSONValue, _ path: String) -> CreateTable? {
            guard let o = object(value, path, allowed: ["name", "timestamps", "columns", "indexes"]) else { return nil }
            var table = CreateTable(name: string(o, "name", path, required: true) ?? "")
            table.timestamps = bool(o, "timestamps", path) ?? false
            if let cols = array(o, "columns", path) {
                for (i, c) in cols.enumerated() {
                    if let col = column(c, join(path, "columns") + "[\(i)]") { table.columns.append(col) }
                }
            } else if o["columns"] == nil {
                issue(join(path, "columns"), "is required", "add \"columns\": [{\"name\": \"id\", \"type\": \"uuid\", \"primary_key\": true}, ...]")
            }
            if let idx = array(o, "indexes", path) {
                for (i, item) in idx.enumerated() {
                    let ipath = join(path, "indexes") + "[\(i)]"
                    guard let io = object(item, ipath, allowed: ["columns", "unique"]) else { continue }
                    var names: [String] = []
                    if let cs = array(io, "columns", ipath) {
                        for (j, c) in cs.enumerated() {
                            if case .string(let s) = c { names.append(s) } else {
                                issue(join(ipath, "columns") + "[\(j)]", "must be a column name string, not \(c.typeName)", "write the column's name in double quotes")
                            }
                        }
                    } else if io["columns"] == nil {
                        issue(join(ipath, "columns"), "is required", "add \"columns\": [\"column_name\", ...]")
                    }
                    table.indexes.append(Index(columns: names, unique: bool(io, "unique", ipath) ?? false))
                }
            }
            return table
        }

        static let columnKeys = [
            "name", "type", "length", "precision", "scale", "nullable", "primary_key", "unique", "index", "enum",
            "default", "foreign_key",
        ]

        mutating func column(_ value: JSONValue, _ path: String) -> Column? {
            guard let o = object(value, path, allowed: Reader.columnKeys) else { return nil }
            let name = string(o, "name", path, required: true) ?? ""
            let typeName = string(o, "type", path, required: true)
            var type = ColumnType.string
            if let typeName {
                if let t = ColumnType(rawValue: typeName) {
                    type = t
                } else {
                    let synonym = ColumnType.synonyms[typeName.lowercased()]
                    let hint = synonym.map { "use \"\($0.rawValue)\"; the types are " } ?? "use one of "
                    issue(join(path, "type"), "\"\(typeName)\" is not a known type", hint + ColumnType.allCases.map(\.rawValue).joined(separator: ", "))
                    // Read on as the type it most likely means, so the other fields are still checked.
                    if let synonym { type = synonym } else { untypedColumns.append(path) }
                }
            } else {
                untypedColumns.append(path)
            }
            var col = Column(name: name, type: type)
            col.length = int(o, "length", path)
            col.precision = int(o, "precision", path)
            col.scale = int(o, "scale", path)
            col.nullable = bool(o, "nullable", path)
            col.primaryKey = bool(o, "primary_key", path) ?? false
            col.unique = bool(o, "unique", path) ?? false
            col.index = bool(o, "index", path) ?? false
            if let values = array(o, "enum", path) {
                col.enumValues = values.enumerated().compactMap { j, v in
                    if case .string(let s) = v { return s }
                    issue(join(path, "enum") + "[\(j)]", "must be a string, not \(v.typeName)", "write each value in double quotes")
                    return nil
                }
            }
            if let d = o["default"] {
                col.defaultValue = columnDefault(d, type: type, join(path, "default"))
            }
            if let fk = o["foreign_key"], let fo = object(fk, join(path, "foreign_key"), allowed: ["table", "column", "ondelete"]) {
                let fpath = join(path, "foreign_key")
                var ref = ForeignKey(table: string(fo, "table", fpath, required: true) ?? "", column: string(fo, "column", fpath) ?? "id")
                if let od = string(fo, "ondelete", fpath) {
                    if let action = OnDelete(rawValue: od.uppercased().split(separator: " ").joined(separator: " ")) {
                        ref.onDelete = action
                    } else {
                        issue(join(fpath, "ondelete"), "\"\(od)\" is not an ON DELETE action", "use one of " + OnDelete.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                }
                col.foreignKey = ref
            }
            return col
        }

        mutating func columnDefault(_ v: JSONValue, type: ColumnType, _ path: String) -> ColumnDefault? {
            switch v {
            case .string(let s) where s == "now" && (type == .datetime || type == .date): return .now
            case .string(let s): return .string(s)
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .decimal(let d): return .decimal(d)
            case .object(let o) where o.count == 1:
                // {"sql": "EXPR"} is an expression; any other object is a JSON literal.
                guard let e = o["sql"] else { return .json(v) }
                guard case .string(let s) = e else {
                    issue(join(path, "sql"), "must be a string, not \(e.typeName)", "write the SQL expression in double quotes, e.g. {\"sql\": \"gen_random_uuid()\"}")
                    return nil
                }
                return .sql(s)
            case .array, .object: return .json(v)
            case .null:
                issue(path, "is null", "leave \"default\" out for no default; a nullable column is NULL when not given")
                return nil
            }
        }
    }
}

extension MigrationSpec {
    /// The spec as JSON (version 1): what the wizard hands to `vejamigrate new --spec`.
    public var jsonValue: JSONValue {
        var o: [String: JSONValue] = ["version": .int(1)]
        if let description { o["description"] = .string(description) }
        if let details, !details.isEmpty { o["details"] = .string(details) }
        if let safe { o["safe"] = .bool(safe) }
        let ops = operations.map { op -> JSONValue in .object([op.key: op.jsonBody]) }
        if ops.count == 1, !operationsListed, case .object(let single) = ops[0] {
            o.merge(single) { a, _ in a }
        } else if !ops.isEmpty {
            o["operations"] = .array(ops)
        }
        return .object(o)
    }

    /// Pretty JSON with sorted keys.
    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(jsonValue)) ?? Data(), as: UTF8.self)
    }
}

extension MigrationOperation {
    /// The operation's object, as the spec writes it under its key.
    var jsonBody: JSONValue {
        func obj(_ fields: [(String, JSONValue?)]) -> JSONValue {
            .object(Dictionary(uniqueKeysWithValues: fields.compactMap { k, v in v.map { (k, $0) } }))
        }
        func strings(_ a: [String]) -> JSONValue { .array(a.map(JSONValue.string)) }
        func bool(_ b: Bool?) -> JSONValue? { b.map(JSONValue.bool) }
        switch self {
        case .createTable(let t): return t.jsonValue
        case .addColumns(let o): return obj([("table", .string(o.table)), ("columns", .array(o.columns.map(\.jsonValue))), ("safe", bool(o.safe))])
        case .dropColumns(let o): return obj([("table", .string(o.table)), ("columns", strings(o.columns)), ("safe", bool(o.safe))])
        case .renameColumn(let o): return obj([("table", .string(o.table)), ("column", .string(o.column)), ("to", .string(o.to))])
        case .alterColumn(let o):
            var fields: [(String, JSONValue?)] = [("table", .string(o.table)), ("column", .string(o.column)), ("nullable", bool(o.nullable))]
            fields.append(("backfill", o.backfill.map(Column.json)))
            fields += [("type", o.type.map { .string($0.rawValue) }), ("length", o.length.map(JSONValue.int)), ("precision", o.precision.map(JSONValue.int)),
                       ("scale", o.scale.map(JSONValue.int)), ("using", o.using.map(JSONValue.string)), ("safe", bool(o.safe))]
            switch o.defaultValue {
            case .set(let d)?: fields.append(("default", Column.json(d)))
            case .drop?: fields.append(("default", .null))
            case nil: break
            }
            return obj(fields)
        case .alterEnum(let o):
            let map: JSONValue? = o.map.isEmpty ? nil : .object(Dictionary(o.map.map { ($0.from, JSONValue.string($0.to)) }, uniquingKeysWith: { a, _ in a }))
            return obj([("table", .string(o.table)), ("column", .string(o.column)), ("values", strings(o.values)), ("default", o.defaultValue.map(JSONValue.string)),
                        ("map", map), ("safe", bool(o.safe))])
        case .addCheck(let o):
            return obj([("table", .string(o.table)), ("column", o.column.map(JSONValue.string)), ("name", o.name.map(JSONValue.string)),
                        ("expression", .string(o.expression)), ("safe", bool(o.safe))])
        case .createIndex(let o):
            return obj([("table", .string(o.table)), ("columns", strings(o.columns)), ("unique", o.unique ? .bool(true) : nil), ("where", o.predicate.map(JSONValue.string)),
                        ("name", o.name.map(JSONValue.string)), ("safe", bool(o.safe))])
        case .dropIndex(let o): return obj([("table", .string(o.table)), ("name", .string(o.name)), ("safe", bool(o.safe))])
        case .addForeignKey(let o):
            var ref: [(String, JSONValue?)] = [("table", .string(o.references.table)), ("column", .string(o.references.column))]
            ref.append(("ondelete", o.references.onDelete.map { .string($0.rawValue) }))
            return obj([("table", .string(o.table)), ("column", .string(o.column)), ("references", obj(ref)), ("safe", bool(o.safe))])
        case .dropConstraint(let o): return obj([("table", .string(o.table)), ("name", .string(o.name)), ("safe", bool(o.safe))])
        case .renameTable(let o): return obj([("table", .string(o.table)), ("to", .string(o.to))])
        case .dropTable(let o): return obj([("table", .string(o.table))])
        }
    }
}

extension CreateTable {
    var jsonValue: JSONValue {
        var o: [String: JSONValue] = ["name": .string(name), "columns": .array(columns.map(\.jsonValue))]
        if timestamps { o["timestamps"] = .bool(true) }
        if !indexes.isEmpty {
            o["indexes"] = .array(indexes.map { i in
                var io: [String: JSONValue] = ["columns": .array(i.columns.map(JSONValue.string))]
                if i.unique { io["unique"] = .bool(true) }
                return .object(io)
            })
        }
        return .object(o)
    }
}

extension Column {
    var jsonValue: JSONValue {
        var o: [String: JSONValue] = ["name": .string(name), "type": .string(type.rawValue)]
        if let length { o["length"] = .int(length) }
        if let precision { o["precision"] = .int(precision) }
        if let scale { o["scale"] = .int(scale) }
        if let nullable { o["nullable"] = .bool(nullable) }
        if primaryKey { o["primary_key"] = .bool(true) }
        if unique { o["unique"] = .bool(true) }
        if index { o["index"] = .bool(true) }
        if let enumValues { o["enum"] = .array(enumValues.map(JSONValue.string)) }
        if let defaultValue { o["default"] = Column.json(defaultValue) }
        if let fk = foreignKey {
            var f: [String: JSONValue] = ["table": .string(fk.table), "column": .string(fk.column)]
            if let od = fk.onDelete { f["ondelete"] = .string(od.rawValue) }
            o["foreign_key"] = .object(f)
        }
        return .object(o)
    }
}

extension Column {
    /// A default (or backfill) as the spec writes it.
    static func json(_ d: ColumnDefault) -> JSONValue {
        switch d {
        case .now: return .string("now")
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .decimal(let d): return .decimal(d)
        case .json(let j): return j
        case .sql(let e): return .object(["sql": .string(e)])
        }
    }
}

extension SpecIssue {
    /// The order fields are written in a spec, for sorting issues: known keys in their documented
    /// order (docs/spec.md), unknown ones after them, list items by index.
    static let fieldRank: [String: Int] = Dictionary(uniqueKeysWithValues: (["spec", "version", "description", "details", "safe", "operations"] + MigrationOperation.keys + [
        "table", "column", "name", "to", "timestamps", "columns", "indexes", "type", "length", "precision", "scale", "nullable", "backfill",
        "primary_key", "unique", "index", "enum", "values", "default", "map", "sql", "expression", "where", "foreign_key", "references", "ondelete",
    ]).enumerated().map { ($1, $0) })

    /// The path's parts: keys, and list indexes as numbers.
    private var fieldParts: [(key: String, index: Int?)] {
        var parts: [(String, Int?)] = []
        for piece in field.split(separator: ".") {
            var rest = Substring(piece)
            if let open = rest.firstIndex(of: "[") {
                parts.append((String(rest[..<open]), nil))
                rest = rest[open...]
                while rest.first == "[", let close = rest.firstIndex(of: "]") {
                    parts.append(("", Int(rest[rest.index(after: rest.startIndex)..<close]) ?? 0))
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                parts.append((String(rest), nil))
            }
        }
        return parts.filter { !$0.0.isEmpty || $0.1 != nil }
    }

    /// `issues` sorted by where their fields stand in the spec; issues on the same field keep their order.
    public static func inFieldOrder(_ issues: [SpecIssue]) -> [SpecIssue] {
        func precedes(_ a: SpecIssue, _ b: SpecIssue) -> Bool {
            let (pa, pb) = (a.fieldParts, b.fieldParts)
            for (x, y) in zip(pa, pb) {
                if let i = x.index, let j = y.index {
                    if i != j { return i < j }
                    continue
                }
                if x.key == y.key, x.index == y.index { continue }
                let rx = x.index == nil ? (fieldRank[x.key] ?? Int.max) : -1
                let ry = y.index == nil ? (fieldRank[y.key] ?? Int.max) : -1
                if rx != ry { return rx < ry }
                return x.key < y.key
            }
            return pa.count < pb.count
        }
        // A stable sort: indices break ties.
        return issues.enumerated().sorted { l, r in
            precedes(l.element, r.element) || (!precedes(r.element, l.element) && l.offset < r.offset)
        }.map(\.element)
    }
}
