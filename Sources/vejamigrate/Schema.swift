import ArgumentParser
import Foundation
import VejaMigrateCore

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the schema the history builds, read statically from the migrations.",
        discussion: """
            Replays every upgrade() in revision order without Python or a database: tables, columns with
            type, nullability and default, primary keys, CHECK and unique constraints, indexes and foreign
            keys. Operations it cannot read (op.execute, helpers, loops) are listed as opaque with file:line,
            and the tables they name as touched by raw SQL. Exit 1 when TABLE is not in the history.
            """
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: "Show only this table.")
    var table: String?

    @Flag(help: "Print {\"tables\": {...}, \"opaque\": [...], ...} as JSON.")
    var json = false

    func run() throws {
        let dir = try common.versionsDirectory()
        let history = try dir.readHistory()
        for p in history.graph.problems {
            printError("warning: \(p.kind.rawValue): \(p.message)")
        }
        let schema = history.schema
        var names = schema.tableNames
        if let table {
            if schema.tables[table] != nil {
                names = [table]
            } else if schema.isTouchedByRawSQL(table) {
                names = []
            } else {
                let close = schema.closeTableNames(to: table)
                let fix = close.isEmpty
                    ? (schema.tables.isEmpty ? "the history creates no tables yet" : "use one of: " + schema.tableNames.joined(separator: ", "))
                    : "did you mean " + close.joined(separator: ", ") + "?"
                throw VejaMigrateError.invalidInput([SpecIssue(field: "TABLE", problem: "\"\(table)\" is not a table in the history", fix: fix)])
            }
        }
        let touched = table.map { t in schema.rawSQL.filter { $0.key == t } } ?? schema.rawSQL
        if json {
            SchemaJSON.write(schema, tables: names, touched: touched)
            return
        }
        print(SchemaText.render(schema, tables: names, touched: touched, only: table), terminator: "")
    }
}

/// The `--json` document. Each table is built as a `JSONValue` (so absent values print as `null`)
/// and written out at once, so a history of thousands of tables never holds the whole document
/// as a tree; the bytes go to standard output in large chunks. The layout is `JSONValue.prettyText`'s.
enum SchemaJSON {
    static func write(_ schema: HistorySchema, tables: [String], touched: [String: [RawSQLTouch]]) {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        func flush(force: Bool = false) {
            guard force || out.count > 1 << 20 else { return }
            FileHandle.standardOutput.write(Data(out))
            out.removeAll(keepingCapacity: true)
        }
        func key(_ k: String, first: Bool = false) {
            out += (first ? "{\n  " : ",\n  ").utf8
            JSONValue.string(k).write(to: &out, indent: 2)
            out += ": ".utf8
        }
        fflush(nil)
        // Keys in sorted order, as every other JSON document of vejamigrate.
        key("enums", first: true)
        JSONValue.object(schema.enums.mapValues(strings)).write(to: &out, indent: 2)
        key("notes")
        JSONValue.array(schema.notes.map(JSONValue.string)).write(to: &out, indent: 2)
        key("opaque")
        JSONValue.array(schema.opaque.map { o in
            .object(["at": .string(o.location), "what": .string(o.what), "tables": strings(o.tables), "error": optional(o.error)])
        }).write(to: &out, indent: 2)
        key("tables")
        if tables.isEmpty {
            out += "{}".utf8
        } else {
            out += "{".utf8
            for (k, name) in tables.sorted().enumerated() {
                out += (k == 0 ? "\n    " : ",\n    ").utf8
                JSONValue.string(name).write(to: &out, indent: 4)
                out += ": ".utf8
                table(schema.tables[name]!, schema).write(to: &out, indent: 4)
                flush()
            }
            out += "\n  }".utf8
        }
        key("touched_by_raw_sql")
        JSONValue.object(touched.mapValues { .array($0.map { .string($0.location) }) }).write(to: &out, indent: 2)
        out += "\n}\n".utf8
        flush(force: true)
    }

    static func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }

    static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }

    static func table(_ t: SchemaTable, _ schema: HistorySchema) -> JSONValue {
        var columns: [String: JSONValue] = [:]
        for (i, c) in t.columns.enumerated() {
            columns[c.name] = .object([
                "type": .string(c.type),
                "sql_type": .string(c.sqlType),
                "nullable": .bool(c.nullable),
                "default": optional(c.serverDefault),
                "primary_key": .bool(t.primaryKey.contains(c.name)),
                "autoincrement": .bool(c.autoincrement),
                "identity": optional(c.identity),
                "position": .int(i + 1),
            ])
        }
        return .object([
            "created_in": optional(t.createdIn),
            "partial": .bool(t.partial),
            "columns": .object(columns),
            "primary_key": strings(t.primaryKey),
            "primary_key_name": optional(t.primaryKeyName),
            "checks": .object(Dictionary(t.checks.map { c in
                (c.name, JSONValue.object([
                    "expression": .string(c.condition), "column": optional(c.column),
                    "values": c.values.map(strings) ?? .null, "validated": .bool(c.validated),
                ]))
            }, uniquingKeysWith: { _, last in last })),
            "indexes": .array(t.indexes.map { i in
                .object([
                    "name": .string(i.name), "columns": strings(i.columns), "unique": .bool(i.unique),
                    "descending": .array((i.descending.isEmpty ? Array(repeating: false, count: i.columns.count) : i.descending).map(JSONValue.bool)),
                    "method": .string(i.method), "where": optional(i.predicate),
                ])
            }),
            "foreign_keys": .array(t.foreignKeys.map { fk in
                .object([
                    "name": .string(fk.name),
                    "columns": strings(fk.columns),
                    "references": .object(["table": .string(fk.referencedTable), "columns": strings(fk.referencedColumns)]),
                    "ondelete": optional(fk.onDelete),
                    "onupdate": optional(fk.onUpdate),
                    "deferrable": .bool(fk.deferrable),
                    "initially_deferred": .bool(fk.initiallyDeferred),
                    "validated": .bool(fk.validated),
                ])
            }),
            "unique": .array(t.uniques.map { .object(["name": .string($0.name), "columns": strings($0.columns)]) }),
            "raw_sql": strings((schema.rawSQL[t.name] ?? []).map(\.location)),
        ])
    }
}

/// The readable form.
enum SchemaText {
    static func render(_ schema: HistorySchema, tables: [String], touched: [String: [RawSQLTouch]], only: String?) -> String {
        var out = ""
        for name in tables {
            out += table(schema.tables[name]!, schema) + "\n"
        }
        let rawOnly = touched.keys.filter { schema.tables[$0] == nil }.sorted()
        if !rawOnly.isEmpty {
            out += "Touched only by raw SQL (columns unknown):\n"
            for name in rawOnly {
                out += "  \(name): " + touched[name]!.map { "\($0.location) (\($0.kind.rawValue))" }.joined(separator: ", ") + "\n"
            }
            out += "\n"
        }
        let opaque = only.map { t in schema.opaque.filter { $0.tables.contains(t) } } ?? schema.opaque
        if !opaque.isEmpty {
            out += "Not read (opaque):\n"
            for o in opaque {
                out += "  \(o.location)  \(o.what)" + (o.tables.isEmpty ? "" : "  (\(o.tables.joined(separator: ", ")))") + (o.error.map { ": \($0)" } ?? "") + "\n"
            }
            out += "\n"
        }
        if only == nil, !schema.enums.isEmpty {
            out += "Enum types:\n" + schema.enums.keys.sorted().map { "  \($0): " + schema.enums[$0]!.joined(separator: ", ") + "\n" }.joined() + "\n"
        }
        if only == nil, !schema.notes.isEmpty {
            out += "Notes:\n" + schema.notes.map { "  \($0)\n" }.joined() + "\n"
        }
        if tables.isEmpty, rawOnly.isEmpty {
            out += "The history creates no tables.\n"
        }
        return out
    }

    static func table(_ t: SchemaTable, _ schema: HistorySchema) -> String {
        var out = t.name
        if let file = t.createdIn { out += "  (created in \(file))" } else { out += "  (never created by a migration vejamigrate can read)" }
        out += "\n"
        let nameWidth = t.columns.map(\.name.count).max() ?? 0
        let typeWidth = t.columns.map(\.type.count).max() ?? 0
        for c in t.columns {
            var line = "  " + c.name.padded(to: nameWidth)
            line += "  " + (c.type.isEmpty ? "?" : c.type).padded(to: max(typeWidth, 1))
            line += c.nullable ? "  NULL    " : "  NOT NULL"
            if let d = c.serverDefault { line += "  DEFAULT \(d)" }
            if c.autoincrement { line += "  AUTOINCREMENT" }
            out += line.trimmingTrailingSpaces() + "\n"
        }
        if !t.primaryKey.isEmpty {
            out += "  primary key: \(t.primaryKey.joined(separator: ", "))" + (t.primaryKeyName.map { "  (\($0))" } ?? "") + "\n"
        }
        for c in t.checks { out += "  check \(c.name): \(c.condition)" + (c.validated ? "" : "  NOT VALID") + "\n" }
        for u in t.uniques { out += "  unique \(u.name): \(u.columns.joined(separator: ", "))\n" }
        for i in t.indexes {
            let keys = i.columns.enumerated().map { k, c in c + (k < i.descending.count && i.descending[k] ? " DESC" : "") }
            out += "  \(i.unique ? "unique index" : "index") \(i.name): \(keys.joined(separator: ", "))"
            if i.method != "btree" { out += "  USING \(i.method)" }
            if let p = i.predicate { out += "  WHERE \(p)" }
            out += "\n"
        }
        for fk in t.foreignKeys {
            out += "  foreign key \(fk.name): \(fk.columns.joined(separator: ", ")) -> \(fk.referencedTable)(\(fk.referencedColumns.joined(separator: ", ")))"
            if let d = fk.onDelete { out += " ON DELETE \(d)" }
            if let u = fk.onUpdate { out += " ON UPDATE \(u)" }
            if fk.deferrable { out += fk.initiallyDeferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE" }
            if !fk.validated { out += " NOT VALID" }
            out += "\n"
        }
        if let touches = schema.rawSQL[t.name] {
            out += "  touched by raw SQL: " + touches.map { "\($0.location) (\($0.kind.rawValue))" }.joined(separator: ", ") + "\n"
        }
        if t.partial { out += "  (partly known: more columns may exist)\n" }
        return out
    }
}

extension String {
    /// Spaces added up to `width` characters (Foundation's `padding(toLength:)` bridges through NSString).
    func padded(to width: Int) -> String {
        let n = count
        return n >= width ? self : self + String(repeating: " ", count: width - n)
    }

    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
