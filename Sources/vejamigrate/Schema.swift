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

    @Flag(help: "Print {\"tables\": {...}, \"opaque\": [...], ...} as JSON (the same as --format json).")
    var json = false

    @Option(help: ArgumentHelp("text, json, mermaid (an erDiagram GitHub renders) or dot (Graphviz: | dot -Tsvg).", valueName: "format"))
    var format: SchemaFormat?

    enum SchemaFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, mermaid, dot
    }

    func validate() throws {
        if json, let format, format != .json {
            throw ValidationError("--json and --format \(format.rawValue) ask for two formats; use one of them")
        }
    }

    func run() throws {
        let history = try common.locations().readHistory()
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
        switch json ? .json : format ?? .text {
        case .json:
            SchemaJSON.write(schema, tables: names, touched: touched)
        case .mermaid:
            print(MermaidDiagram.render(schema, tables: table == nil ? nil : names), terminator: "")
        case .dot:
            print(DotDiagram.render(schema, tables: table == nil ? nil : names), terminator: "")
        case .text:
            SchemaText.write(schema, tables: names, touched: touched, only: table)
        }
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
            // Tables are made on all cores, a round at a time, so only a round's bytes are held.
            let sorted = tables.sorted()
            var start = 0
            while start < sorted.count {
                let round = sorted[start..<min(start + 512, sorted.count)]
                let parts = concurrentMap(count: round.count, minimumForParallel: 32) { k -> [UInt8] in
                    let name = round[round.startIndex + k]
                    var part: [UInt8] = []
                    JSONValue.string(name).write(to: &part, indent: 4)
                    part += ": ".utf8
                    writeTable(schema.tables[name]!, schema, to: &part, indent: 4)
                    return part
                }
                for (k, part) in parts.enumerated() {
                    out += (start + k == 0 ? "\n    " : ",\n    ").utf8
                    out += part
                }
                flush()
                start += round.count
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

    /// One table's object, written straight into bytes in `JSONValue.prettyText`'s layout (keys
    /// sorted): building it as a tree of dictionaries first cost a third of `schema --json`.
    static func writeTable(_ t: SchemaTable, _ schema: HistorySchema, to out: inout [UInt8], indent: Int) {
        var o = JSONObjectWriter(indent: indent)
        o.key("checks", &out)
        var checks: [String: SchemaCheck] = [:]
        for c in t.checks { checks[c.name] = c }  // the last of a name wins, as in a dictionary
        var co = JSONObjectWriter(indent: indent + 2)
        for name in checks.keys.sorted() {
            let c = checks[name]!
            co.key(name, &out)
            var f = JSONObjectWriter(indent: indent + 4)
            f.key("column", &out); JSONObjectWriter.optional(c.column, &out)
            f.key("expression", &out); JSONValue.writeString(c.condition, to: &out)
            f.key("validated", &out); JSONObjectWriter.bool(c.validated, &out)
            f.key("values", &out)
            if let values = c.values { JSONObjectWriter.strings(values, indent: indent + 8, &out) } else { out += "null".utf8 }
            f.end(&out)
        }
        co.end(&out)
        o.key("columns", &out)
        var positions: [String: Int] = [:]
        for (i, c) in t.columns.enumerated() { positions[c.name] = i }  // the last of a name wins
        var cols = JSONObjectWriter(indent: indent + 2)
        for name in positions.keys.sorted() {
            let i = positions[name]!
            let c = t.columns[i]
            cols.key(name, &out)
            var f = JSONObjectWriter(indent: indent + 4)
            f.key("autoincrement", &out); JSONObjectWriter.bool(c.autoincrement, &out)
            f.key("default", &out); JSONObjectWriter.optional(c.serverDefault, &out)
            f.key("identity", &out); JSONObjectWriter.optional(c.identity, &out)
            f.key("nullable", &out); JSONObjectWriter.bool(c.nullable, &out)
            f.key("position", &out); out += String(i + 1).utf8
            f.key("primary_key", &out); JSONObjectWriter.bool(t.primaryKey.contains(c.name), &out)
            f.key("sql_type", &out); JSONValue.writeString(c.sqlType, to: &out)
            f.key("type", &out); JSONValue.writeString(c.type, to: &out)
            f.end(&out)
        }
        cols.end(&out)
        o.key("created_in", &out); JSONObjectWriter.optional(t.createdIn, &out)
        o.key("foreign_keys", &out)
        JSONObjectWriter.array(t.foreignKeys, indent: indent + 4, &out) { fk, indent, out in
            var f = JSONObjectWriter(indent: indent)
            f.key("columns", &out); JSONObjectWriter.strings(fk.columns, indent: indent + 4, &out)
            f.key("deferrable", &out); JSONObjectWriter.bool(fk.deferrable, &out)
            f.key("initially_deferred", &out); JSONObjectWriter.bool(fk.initiallyDeferred, &out)
            f.key("name", &out); JSONValue.writeString(fk.name, to: &out)
            f.key("ondelete", &out); JSONObjectWriter.optional(fk.onDelete, &out)
            f.key("onupdate", &out); JSONObjectWriter.optional(fk.onUpdate, &out)
            f.key("references", &out)
            var r = JSONObjectWriter(indent: indent + 2)
            r.key("columns", &out); JSONObjectWriter.strings(fk.referencedColumns, indent: indent + 6, &out)
            r.key("table", &out); JSONValue.writeString(fk.referencedTable, to: &out)
            r.end(&out)
            f.key("validated", &out); JSONObjectWriter.bool(fk.validated, &out)
            f.end(&out)
        }
        o.key("indexes", &out)
        JSONObjectWriter.array(t.indexes, indent: indent + 4, &out) { i, indent, out in
            var f = JSONObjectWriter(indent: indent)
            f.key("columns", &out); JSONObjectWriter.strings(i.columns, indent: indent + 4, &out)
            f.key("descending", &out)
            let descending = i.descending.isEmpty ? Array(repeating: false, count: i.columns.count) : i.descending
            JSONObjectWriter.array(descending, indent: indent + 4, &out) { d, _, out in JSONObjectWriter.bool(d, &out) }
            f.key("method", &out); JSONValue.writeString(i.method, to: &out)
            f.key("name", &out); JSONValue.writeString(i.name, to: &out)
            f.key("unique", &out); JSONObjectWriter.bool(i.unique, &out)
            f.key("where", &out); JSONObjectWriter.optional(i.predicate, &out)
            f.end(&out)
        }
        o.key("partial", &out); JSONObjectWriter.bool(t.partial, &out)
        o.key("primary_key", &out); JSONObjectWriter.strings(t.primaryKey, indent: indent + 4, &out)
        o.key("primary_key_name", &out); JSONObjectWriter.optional(t.primaryKeyName, &out)
        o.key("raw_sql", &out); JSONObjectWriter.strings((schema.rawSQL[t.name] ?? []).map(\.location), indent: indent + 4, &out)
        o.key("unique", &out)
        JSONObjectWriter.array(t.uniques, indent: indent + 4, &out) { u, indent, out in
            var f = JSONObjectWriter(indent: indent)
            f.key("columns", &out); JSONObjectWriter.strings(u.columns, indent: indent + 4, &out)
            f.key("name", &out); JSONValue.writeString(u.name, to: &out)
            f.end(&out)
        }
        o.end(&out)
    }
}

/// The readable form.
enum SchemaText {
    /// Writes the text to standard output; the tables are made on all cores, a round at a time,
    /// so only a round's text is held.
    static func write(_ schema: HistorySchema, tables: [String], touched: [String: [RawSQLTouch]], only: String?) {
        var start = 0
        while start < tables.count {
            let round = tables[start..<min(start + 512, tables.count)]
            let parts = concurrentMap(count: round.count, minimumForParallel: 32) { table(schema.tables[round[round.startIndex + $0]]!, schema) }
            print(parts.map { $0 + "\n" }.joined(), terminator: "")
            start += round.count
        }
        print(trailer(schema, tables: tables, touched: touched, only: only), terminator: "")
    }

    /// What follows the tables: raw SQL, opaque statements, enum types, notes.
    static func trailer(_ schema: HistorySchema, tables: [String], touched: [String: [RawSQLTouch]], only: String?) -> String {
        var out = ""
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
