import Foundation

/// A database's schema as `verify`'s step script reflects it (SQLAlchemy's inspector, plus
/// pg_catalog's `format_type` and `convalidated` on PostgreSQL), decoded from its JSON.
public struct ReflectedSchema: Codable, Equatable, Sendable {
    public var dialect: String
    public var tables: [String: Table]
    public var enums: [String: [String]]

    public struct Table: Codable, Equatable, Sendable {
        public var columns: [Column]
        public var primaryKey: [String]
        public var primaryKeyName: String?
        public var indexes: [Index]
        public var foreignKeys: [ForeignKey]
        public var checks: [Check]
        public var uniques: [Unique]

        enum CodingKeys: String, CodingKey {
            case columns, indexes, checks, uniques
            case primaryKey = "primary_key", primaryKeyName = "primary_key_name", foreignKeys = "foreign_keys"
        }
    }

    public struct Column: Codable, Equatable, Sendable {
        public var name: String
        public var type: String
        public var nullable: Bool
        public var `default`: String?
        public var identity: String?
    }

    public struct Index: Codable, Equatable, Sendable {
        public var name: String
        public var keys: [String]
        public var descending: [Bool]
        public var unique: Bool
        public var method: String
        public var `where`: String?
    }

    public struct ForeignKey: Codable, Equatable, Sendable {
        public var name: String?
        public var columns: [String]
        public var referredTable: String
        public var referredColumns: [String]
        public var onDelete: String?
        public var onUpdate: String?
        public var deferrable: Bool
        public var initiallyDeferred: Bool
        public var validated: Bool

        enum CodingKeys: String, CodingKey {
            case name, columns, deferrable, validated
            case referredTable = "referred_table", referredColumns = "referred_columns", onDelete = "ondelete"
            case onUpdate = "onupdate", initiallyDeferred = "initially_deferred"
        }
    }

    public struct Check: Codable, Equatable, Sendable {
        public var name: String?
        public var sqltext: String
        public var validated: Bool
    }

    public struct Unique: Codable, Equatable, Sendable {
        public var name: String?
        public var columns: [String]
    }

    /// Decodes the step script's output: the document is the rest of the output from the last line
    /// that starts one (a migration that prints something first does not hide it).
    public static func decode(_ output: String) -> ReflectedSchema? {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        for start in lines.indices.reversed() where lines[start].hasPrefix("{") {
            let text = lines[start...].joined(separator: "\n")
            if let schema = try? JSONDecoder().decode(ReflectedSchema.self, from: Data(text.utf8)) { return schema }
        }
        return nil
    }
}

/// One fact of a schema, the unit the comparisons name: `column projects.title nullable` = `false`.
public struct SchemaFact: Equatable, Hashable, Sendable, Comparable {
    /// What the fact is about: `table projects`, `column projects.title type`, `index projects.idx_projects_status`.
    public var subject: String
    public var value: String

    public init(_ subject: String, _ value: String) {
        self.subject = subject
        self.value = value
    }

    /// The kind of thing the fact is about: table, column, primary key, index, foreign key, check, unique, enum.
    public var kind: String {
        for k in ["primary key", "foreign key", "table", "column", "check", "unique", "index", "enum"] where subject.hasPrefix(k + " ") {
            return k
        }
        return "fact"
    }

    public static func < (a: SchemaFact, b: SchemaFact) -> Bool { (a.subject, a.value) < (b.subject, b.value) }
}

/// A fact that differs between two schemas: the value on each side, nil where the side lacks it.
public struct SchemaDifference: Equatable, Sendable {
    public var subject: String
    /// The reference side (the schema before the migration; the database, for the static comparison).
    public var expected: String?
    /// The side compared with it (after the downgrade; what `vejamigrate schema` reads).
    public var actual: String?

    public var kind: String { SchemaFact(subject, "").kind }

    /// `column projects.title nullable: false before, true after` in the two sides' words.
    public func describe(expectedName: String, actualName: String) -> String {
        switch (expected, actual) {
        case (nil, let a?): return "\(subject)\(a.isEmpty ? "" : " = \(a)"): only \(actualName)"
        case (let e?, nil): return "\(subject)\(e.isEmpty ? "" : " = \(e)"): only \(expectedName)"
        default: return "\(subject): \(expected ?? "") \(expectedName), \(actual ?? "") \(actualName)"
        }
    }
}

/// The facts of a schema and their comparison: the same normalised facts from a reflected database
/// and from the schema `vejamigrate schema` reads, so the two can be compared fact by fact.
public enum SchemaFacts {
    /// How far to go: SQLite's reflection keeps neither PostgreSQL's types nor its defaults, so
    /// against SQLite only tables and columns are compared with the static schema.
    public enum Depth: Sendable { case full, tablesAndColumns }

    /// Every fact of a reflected database. Two reflections are compared with these exactly
    /// (same database, same reflection): nothing is normalised away.
    public static func of(_ schema: ReflectedSchema, depth: Depth = .full, normalise: Bool = false) -> [String: String] {
        var facts: [String: String] = [:]
        func n(_ text: String?) -> String { normalise ? SQLNormaliser.normalise(text) : (text ?? "none") }
        for (name, t) in schema.tables {
            facts["table \(name)"] = ""
            for c in t.columns {
                let s = "column \(name).\(c.name)"
                facts[s] = ""
                guard depth == .full else { continue }
                facts[s + " type"] = c.type
                facts[s + " nullable"] = String(c.nullable)
                let d = n(c.default)
                facts[s + " default"] = normalise && d.hasPrefix("nextval(") ? "autoincrement" : d
                facts[s + " identity"] = c.identity ?? "none"
            }
            guard depth == .full else { continue }
            facts["primary key \(name) columns"] = list(t.primaryKey)
            for i in t.indexes {
                let keys = i.keys.map { normalise ? SQLNormaliser.normalise($0) : $0 }
                let desc = zip(keys, i.descending).filter { $0.1 }.map(\.0)
                facts["index \(name).\(i.name)"] =
                    "unique=\(i.unique) method=\(i.method) keys=\(list(keys)) descending=\(desc.isEmpty ? "none" : list(desc)) where=\(n(i.where))"
            }
            for fk in t.foreignKeys {
                facts["foreign key \(name).\(fk.name ?? list(fk.columns))"] = fkValue(
                    columns: fk.columns, table: fk.referredTable, referred: fk.referredColumns, ondelete: fk.onDelete,
                    onupdate: fk.onUpdate, deferrable: fk.deferrable, deferred: fk.initiallyDeferred, validated: fk.validated)
            }
            for c in t.checks {
                let key = "check \(name).\(c.name ?? "?")"
                if normalise {
                    facts[key] = "validated=\(c.validated)" + (SQLNormaliser.allowedValues(c.sqltext).map { " allows=" + list($0.values.sorted()) } ?? "")
                } else {
                    facts[key] = "validated=\(c.validated) \(c.sqltext)"
                }
            }
            for u in t.uniques {
                facts["unique \(name).\(u.name ?? list(u.columns))"] = list(u.columns)
            }
        }
        if depth == .full {
            for (name, values) in schema.enums { facts["enum \(name)"] = list(values) }
        }
        return facts
    }

    /// The facts of the schema the history builds, in the words of `of(_:normalise: true)`.
    public static func of(_ schema: HistorySchema, depth: Depth = .full) -> [String: String] {
        var facts: [String: String] = [:]
        for (name, t) in schema.tables {
            facts["table \(name)"] = ""
            for c in t.columns {
                let s = "column \(name).\(c.name)"
                facts[s] = ""
                guard depth == .full else { continue }
                facts[s + " type"] = c.sqlType.isEmpty ? "?" : c.sqlType
                facts[s + " nullable"] = String(c.nullable)
                if c.identity != nil {
                    facts[s + " default"] = SQLNormaliser.normalise(c.serverDefault)
                } else {
                    facts[s + " default"] = c.autoincrement ? "autoincrement" : SQLNormaliser.normalise(c.serverDefault)
                }
                facts[s + " identity"] = c.identity ?? "none"
            }
            guard depth == .full else { continue }
            facts["primary key \(name) columns"] = list(t.primaryKey)
            for i in t.indexes {
                let keys = i.columns.map { SQLNormaliser.normalise($0) }
                let flags = i.descending.isEmpty ? Array(repeating: false, count: keys.count) : i.descending
                let desc = zip(keys, flags).filter { $0.1 }.map(\.0)
                facts["index \(name).\(i.name)"] =
                    "unique=\(i.unique) method=\(i.method) keys=\(list(keys)) descending=\(desc.isEmpty ? "none" : list(desc)) where=\(SQLNormaliser.normalise(i.predicate))"
            }
            for fk in t.foreignKeys {
                facts["foreign key \(name).\(fk.name)"] = fkValue(
                    columns: fk.columns, table: fk.referencedTable, referred: fk.referencedColumns, ondelete: fk.onDelete,
                    onupdate: fk.onUpdate, deferrable: fk.deferrable, deferred: fk.initiallyDeferred, validated: fk.validated)
            }
            for c in t.checks {
                let values = c.values ?? SQLNormaliser.allowedValues(c.condition)?.values
                facts["check \(name).\(c.name)"] = "validated=\(c.validated)" + (values.map { " allows=" + list($0.sorted()) } ?? "")
            }
            for u in t.uniques { facts["unique \(name).\(u.name)"] = list(u.columns) }
        }
        if depth == .full {
            for (name, values) in schema.enums { facts["enum \(name)"] = list(values) }
        }
        return facts
    }

    /// Every subject whose value differs, or that one side lacks, sorted by subject. A table (or a
    /// column) that only one side has is one difference: its own facts are not listed again.
    public static func differences(expected: [String: String], actual: [String: String]) -> [SchemaDifference] {
        let all = Set(expected.keys).union(actual.keys).sorted().compactMap { k in
            expected[k] == actual[k] ? nil : SchemaDifference(subject: k, expected: expected[k], actual: actual[k])
        }
        // "table t" / "column t.c" present on one side only: what they hold goes with them.
        var wholes: [(prefix: [String], expectedSide: Bool)] = []
        for d in all where (d.expected == nil) != (d.actual == nil) {
            if d.subject.hasPrefix("table ") {
                let t = String(d.subject.dropFirst("table ".count))
                wholes.append((["column \(t).", "primary key \(t) ", "index \(t).", "foreign key \(t).", "check \(t).", "unique \(t)."], d.expected != nil))
            } else if d.subject.hasPrefix("column "), !d.subject.dropFirst("column ".count).contains(" ") {
                wholes.append((["\(d.subject) "], d.expected != nil))
            }
        }
        return all.filter { d in
            !wholes.contains { w in
                (w.expectedSide ? d.expected != nil && d.actual == nil : d.actual != nil && d.expected == nil)
                    && w.prefix.contains { d.subject.hasPrefix($0) }
            }
        }
    }

    static func list(_ items: [String]) -> String { "(" + items.joined(separator: ", ") + ")" }

    static func fkValue(
        columns: [String], table: String, referred: [String], ondelete: String?, onupdate: String?,
        deferrable: Bool, deferred: Bool, validated: Bool
    ) -> String {
        func action(_ a: String?) -> String { (a ?? "NO ACTION").uppercased() }
        return "\(list(columns)) -> \(table)\(list(referred)) ondelete=\(action(ondelete)) onupdate=\(action(onupdate))"
            + " deferrable=\(deferrable) initially_deferred=\(deferred) validated=\(validated)"
    }
}
