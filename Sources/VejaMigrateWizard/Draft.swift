import Foundation
import VejaMigrateCore

/// A column as the user is typing it: text stays text until the spec is built,
/// so half-typed numbers stay editable and get an error at their own field.
public struct ColumnDraft: Equatable, Sendable {
    public var name = ""
    public var type: ColumnType = .string
    public var length = ""
    public var precision = ""
    public var scale = ""
    public var nullable = true
    public var primaryKey = false
    public var unique = false
    public var index = false
    /// The default as typed; read according to the type (`now`, `true`, `0`, `{}`, text).
    public var defaultText = ""
    /// Enum values, comma-separated.
    public var enumText = ""
    public var referencesTable = ""
    public var referencesColumn = "id"
    public var onDelete: OnDelete?

    public init(name: String = "", type: ColumnType = .string) {
        self.name = name
        self.type = type
    }

    /// Whether this column references another table.
    public var hasForeignKey: Bool { !referencesTable.trimmed.isEmpty }

    /// The enum values typed, trimmed, empty entries kept so they can be reported.
    public var enumValues: [String]? {
        let t = enumText.trimmed
        if t.isEmpty { return nil }
        return t.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmed }
    }
}

/// An extra index as typed: columns comma-separated.
public struct IndexDraft: Equatable, Sendable {
    public var columnsText = ""
    public var unique = false

    public init(columnsText: String = "", unique: Bool = false) {
        self.columnsText = columnsText
        self.unique = unique
    }

    public var columns: [String] {
        columnsText.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
    }
}

/// The whole `create_table` as typed.
public struct TableDraft: Equatable, Sendable {
    public var name = ""
    /// The `id uuid primary key` preset: a column the wizard adds first.
    public var idPreset = true
    /// `created_at` / `updated_at`.
    public var timestamps = true
    public var columns: [ColumnDraft] = []
    public var indexes: [IndexDraft] = []

    public init() {}

    /// How many columns the spec has before the user's own (the `id` preset).
    public var presetCount: Int { idPreset ? 1 : 0 }

    /// The spec's `create_table`, and the problems met while reading the typed text.
    public func build(path: String) -> (CreateTable, [SpecIssue]) {
        var table = CreateTable(name: name.trimmed, timestamps: timestamps)
        if idPreset { table.columns.append(Column(name: "id", type: .uuid, primaryKey: true)) }
        let (columns, issues) = buildColumns(path: path, offset: presetCount)
        table.columns += columns
        table.indexes = indexes.map { Index(columns: $0.columns, unique: $0.unique) }
        return (table, issues)
    }

    /// The spec's `add_columns` on the table named: the user's columns, no presets.
    public func buildAddColumns(path: String) -> (AddColumns, [SpecIssue]) {
        let (columns, issues) = buildColumns(path: path, offset: 0)
        return (AddColumns(table: name.trimmed, columns: columns), issues)
    }

    /// The user's columns, at `columns[offset + i]` under `path`.
    func buildColumns(path: String, offset: Int) -> ([Column], [SpecIssue]) {
        var issues: [SpecIssue] = []
        var built: [Column] = []
        for (i, d) in columns.enumerated() {
            let cpath = "\(path).columns[\(i + offset)]"
            var c = Column(name: d.name.trimmed, type: d.type)
            c.nullable = d.primaryKey ? nil : (d.nullable ? nil : false)
            c.primaryKey = d.primaryKey
            c.unique = d.unique
            c.index = d.index
            func number(_ text: String, _ field: String, applies: Bool) -> Int? {
                let t = text.trimmed
                guard applies, !t.isEmpty else { return nil }
                guard let n = Int(t) else {
                    issues.append(SpecIssue(field: "\(cpath).\(field)", problem: "\"\(t)\" is not a whole number", fix: "type digits only, e.g. 64"))
                    return nil
                }
                return n
            }
            c.length = number(d.length, "length", applies: d.type == .string)
            c.precision = number(d.precision, "precision", applies: d.type == .numeric)
            c.scale = number(d.scale, "scale", applies: d.type == .numeric)
            if d.type.isTextual { c.enumValues = d.enumValues }
            if let (value, issue) = ColumnDraft.readDefault(d.defaultText, type: d.type, path: "\(cpath).default") {
                c.defaultValue = value
                if let issue { issues.append(issue) }
            }
            if d.hasForeignKey {
                let col = d.referencesColumn.trimmed
                c.foreignKey = ForeignKey(table: d.referencesTable.trimmed, column: col.isEmpty ? "id" : col, onDelete: d.onDelete)
            }
            built.append(c)
        }
        return (built, issues)
    }
}

extension ColumnType {
    /// The order the type pickers offer the types in. A letter jumps to the next type it starts, so
    /// of the types sharing a first letter the one most columns use comes first: `d` is datetime,
    /// `d` again date; `b` boolean, then bigint; `j` jsonb, then json; `s` string, then smallint.
    public static let pickerOrder: [ColumnType] = [.uuid, .string, .text, .boolean, .integer, .bigint, .smallint, .numeric, .float, .datetime, .date, .jsonb, .json]

    static let pickerHint = "←/→ or Space picks the type; its first letter jumps there (d datetime, d again date)."
}

extension ColumnDraft {
    /// What starts an SQL expression in the default field: `sql:gen_random_uuid()` is the spec's `{"sql": "gen_random_uuid()"}`.
    public static let sqlDefaultPrefix = "sql:"

    /// Reads a typed default for a column type; nil when nothing was typed.
    static func readDefault(_ text: String, type: ColumnType, path: String) -> (ColumnDefault?, SpecIssue?)? {
        let t = text.trimmed
        if t.isEmpty { return nil }
        if t.lowercased().hasPrefix(sqlDefaultPrefix) {
            return (.sql(String(t.dropFirst(sqlDefaultPrefix.count)).trimmed), nil)
        }
        switch type {
        case .datetime, .date:
            return (t.lowercased() == "now" ? .now : .string(t), nil)
        case .boolean:
            switch t.lowercased() {
            case "true": return (.bool(true), nil)
            case "false": return (.bool(false), nil)
            default: return (nil, SpecIssue(field: path, problem: "\"\(t)\" is not true or false", fix: "type true or false"))
            }
        case .integer, .bigint, .smallint:
            if let n = Int(t) { return (.int(n), nil) }
            return (nil, SpecIssue(field: path, problem: "\"\(t)\" is not a whole number", fix: "type digits, e.g. 0"))
        case .numeric, .float:
            if let n = Int(t) { return (.int(n), nil) }
            if ColumnDraft.isDecimalText(t), let x = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")) { return (.decimal(x), nil) }
            return (nil, SpecIssue(field: path, problem: "\"\(t)\" is not a number", fix: "type a number, e.g. 0 or 12.50"))
        case .json, .jsonb:
            if let data = t.data(using: .utf8), let v = try? JSONDecoder().decode(JSONValue.self, from: data) {
                switch v {
                case .object, .array: return (.json(v), nil)
                default: break
                }
            }
            return (nil, SpecIssue(field: path, problem: "\"\(t)\" is not a JSON object or array", fix: "type {} or [] (JSON)"))
        case .uuid, .string, .text:
            return (.string(t), nil)
        }
    }
}

extension ColumnDraft {
    /// `-12.50`, `1e-5`: digits, an optional fraction and exponent, nothing else.
    static func isDecimalText(_ t: String) -> Bool {
        var s = Substring(t)
        if s.first == "-" || s.first == "+" { s = s.dropFirst() }
        let mantissa = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard !mantissa.isEmpty, mantissa.filter({ $0 == "." }).count <= 1, mantissa.contains(where: \.isNumber) else { return false }
        s = s.dropFirst(mantissa.count)
        if s.isEmpty { return true }
        guard s.first == "e" || s.first == "E" else { return false }
        s = s.dropFirst()
        if s.first == "-" || s.first == "+" { s = s.dropFirst() }
        return !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
