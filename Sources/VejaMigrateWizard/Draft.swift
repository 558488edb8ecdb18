import Foundation
import VejaMigrateCore

/// A column as the user is typing it: text stays text until the spec is built,
/// so half-typed numbers stay editable and get an error at their own field.
public struct ColumnDraft: Equatable, Sendable, Codable {
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
    /// The parts the user set (typed, toggled, chosen): the name's suggestion never changes them.
    public var touched: Set<ColumnPart> = []
    /// The name's suggestion filling the parts not touched (`NameRules`); nil: none, or declined.
    public var suggestion: ColumnSuggestion?
    /// Alt-x dropped the suggestion: the name suggests nothing more for this column.
    public var declined = false

    public init(name: String = "", type: ColumnType = .string) {
        self.name = name
        self.type = type
    }

    /// Whether nothing was typed into it (an editor opened and left so is not kept).
    var isBlank: Bool { name.trimmed.isEmpty && touched.isEmpty && !primaryKey && !unique && !index && enumText.isEmpty }

    /// Puts `s` into the parts the user has not touched, after taking the previous suggestion out of them.
    public mutating func suggest(_ s: ColumnSuggestion?) {
        let plain = ColumnDraft()
        let s = declined ? nil : s
        func set<T>(_ part: ColumnPart, _ key: WritableKeyPath<ColumnDraft, T>, _ value: T) {
            if !touched.contains(part) { self[keyPath: key] = value }
        }
        set(.type, \.type, s?.type ?? plain.type)
        set(.length, \.length, s?.length.map(String.init) ?? "")
        set(.precision, \.precision, s?.precision.map(String.init) ?? "")
        set(.scale, \.scale, s?.scale.map(String.init) ?? "")
        set(.nullable, \.nullable, s?.nullable ?? true)
        set(.defaultValue, \.defaultText, s?.defaultValue.map(ColumnDraft.text(of:)) ?? (s?.asksValues == true ? enumValues?.first ?? "" : ""))
        set(.references, \.referencesTable, s?.referencesTable ?? "")
        set(.references, \.referencesColumn, s?.referencesColumn ?? "id")
        set(.onDelete, \.onDelete, s?.onDelete)
        suggestion = s
    }

    /// Which parts the suggestion set (and the user did not): what Review asks to check.
    public var suggestedParts: [ColumnPart] {
        guard let s = suggestion else { return [] }
        var parts: [ColumnPart] = [.type]
        if s.length != nil { parts.append(.length) }
        if s.precision != nil { parts.append(.precision) }
        if s.scale != nil { parts.append(.scale) }
        if s.nullable != nil { parts.append(.nullable) }
        if s.defaultValue != nil || (s.asksValues && !defaultText.isEmpty) { parts.append(.defaultValue) }
        if s.referencesTable != nil { parts.append(.references) }
        if s.onDelete != nil { parts.append(.onDelete) }
        return parts.filter { !touched.contains($0) }
    }

    /// A default as the Default field shows it.
    static func text(of value: ColumnDefault) -> String {
        switch value {
        case .now: return "now"
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int(let n): return String(n)
        case .decimal(let d): return "\(d)"
        case .json(let v): return v.compactText
        case .sql(let e): return sqlDefaultPrefix + e
        }
    }

    /// The column the line says, the suggestion of its name filling the rest.
    public init(line: ColumnLine, schema: HistorySchema?) {
        self.init(name: line.name)
        if let t = line.type { type = t; touched.insert(.type) }
        if let n = line.length { length = String(n); touched.insert(.length) }
        if let n = line.precision { precision = String(n); touched.insert(.precision) }
        if let n = line.scale { scale = String(n); touched.insert(.scale) }
        if let n = line.nullable { nullable = n; touched.insert(.nullable) }
        if let d = line.defaultText { defaultText = d; touched.insert(.defaultValue) }
        if let v = line.enumValues { enumText = v.joined(separator: ", "); touched.insert(.enumValues) }
        if let t = line.referencesTable {
            referencesTable = t
            referencesColumn = line.referencesColumn ?? "id"
            touched.insert(.references)
        }
        if let od = line.onDelete { onDelete = od; touched.insert(.onDelete) }
        primaryKey = line.primaryKey
        unique = line.unique
        index = line.index
        suggest(NameRules.suggest(for: line.name, schema: schema))
    }

    /// The column as one line (`ColumnLine.text`): what the form holds, in the line's words.
    public var line: ColumnLine {
        var l = ColumnLine(name: name.trimmed)
        l.type = type
        if type == .string, let n = Int(length.trimmed) { l.length = n }
        if type == .numeric, let p = Int(precision.trimmed) { l.precision = p; l.scale = Int(scale.trimmed) }
        if !primaryKey, !nullable { l.nullable = false }
        if !defaultText.trimmed.isEmpty { l.defaultText = defaultText.trimmed }
        l.primaryKey = primaryKey
        if hasForeignKey {
            l.referencesTable = referencesTable.trimmed
            l.referencesColumn = referencesColumn.trimmed.isEmpty ? "id" : referencesColumn.trimmed
            l.onDelete = onDelete
        }
        if type.isTextual { l.enumValues = enumValues }
        l.unique = unique
        l.index = index
        return l
    }
}

/// The parts of a column a name's suggestion may fill, and that the user's own answer then keeps.
public enum ColumnPart: Hashable, Sendable, Codable {
    case type, length, precision, scale, nullable, defaultValue, enumValues, references, onDelete
}

extension ColumnDraft {

    /// Whether this column references another table.
    public var hasForeignKey: Bool { !referencesTable.trimmed.isEmpty }

    /// The editor's References field: `projects`, or `projects.code` when the key is not `id`.
    public var referencesText: String {
        get { referencesTable + (referencesColumn.isEmpty || referencesColumn == "id" ? "" : "." + referencesColumn) }
        set {
            let parts = newValue.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            referencesTable = parts.first ?? ""
            referencesColumn = parts.count > 1 ? parts[1] : "id"
        }
    }

    /// The enum values typed, trimmed, empty entries kept so they can be reported.
    public var enumValues: [String]? {
        let t = enumText.trimmed
        if t.isEmpty { return nil }
        return t.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmed }
    }
}

/// An extra index as typed: columns comma-separated.
public struct IndexDraft: Equatable, Sendable, Codable {
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
public struct TableDraft: Equatable, Sendable, Codable {
    public var name = ""
    /// The `id uuid primary key` preset: a column the wizard adds first.
    public var idPreset = true
    /// `created_at` / `updated_at`.
    public var timestamps = true
    public var columns: [ColumnDraft] = []
    public var indexes: [IndexDraft] = []
    /// The one-line column being typed in the list (`ColumnLine`), and the column it reads as so far
    /// (nil while it does not read): the preview and the checks show it as the next column.
    public var line = ""
    public var pending: ColumnDraft?
    /// The column whose allowed values the line asks for next (a `status` added by a line without them).
    public var askingValues: Int?
    /// The name came from the description's words: the first key typed in it replaces it.
    public var nameSuggested = false

    public init() {}

    /// The user's columns and the one the line is typing.
    var allColumns: [ColumnDraft] { columns + (pending.map { [$0] } ?? []) }

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
        for (i, d) in allColumns.enumerated() {
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
