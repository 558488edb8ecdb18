/// What a column's name implies about it: `project_id` is a NOT NULL uuid that references
/// `projects`, `issued_at` a timezone-aware datetime, `is_paid` a NOT NULL boolean with default false.
///
/// The rules are data, in one table (`NameRules.table`), tried in order; the first whose pattern
/// matches the name gives the suggestion. A rule may read the history (the referenced key's type,
/// the ON DELETE most used for foreign keys to that table); the last one takes what the history uses
/// most for a column of that name. docs/name-rules.md lists them and says how to add one.
///
///     NameRules.suggest(for: "is_paid", schema: nil)?.type   // .boolean
public struct ColumnSuggestion: Equatable, Sendable, Codable {
    public var type: ColumnType
    public var length: Int?
    public var precision: Int?
    public var scale: Int?
    /// nil: the name says nothing about it.
    public var nullable: Bool?
    public var defaultValue: ColumnDefault?
    /// The allowed values are the column's to choose: the wizard asks for them next, and the first
    /// one typed is the suggested default.
    public var asksValues = false
    public var referencesTable: String?
    public var referencesColumn: String?
    public var onDelete: OnDelete?
    /// The id of the rule that made it (`NameRule.id`), for the hint and the docs.
    public var rule: String

    public init(rule: String, type: ColumnType) {
        self.rule = rule
        self.type = type
    }
}

/// Which names a rule is for.
public enum NamePattern: Equatable, Sendable {
    case exactly([String])
    case prefix([String])
    case suffix([String])
    /// Every name (the history's most used column of that name).
    case any

    public func matches(_ name: String) -> Bool {
        switch self {
        case .exactly(let names): return names.contains(name)
        case .prefix(let ps): return ps.contains { name.hasPrefix($0) && name.count > $0.count }
        case .suffix(let ss): return ss.contains { name.hasSuffix($0) && name.count > $0.count }
        case .any: return true
        }
    }

    /// How the docs and the hint write it: `*_at`, `is_*`, `status`.
    public var text: String {
        switch self {
        case .exactly(let names): return names.joined(separator: ", ")
        case .prefix(let ps): return ps.map { $0 + "*" }.joined(separator: ", ")
        case .suffix(let ss): return ss.map { "*" + $0 }.joined(separator: ", ")
        case .any: return "any other name"
        }
    }
}

/// One rule: its id, the names it is for, what it suggests, and a sentence for the docs.
public struct NameRule: Sendable {
    public let id: String
    public let pattern: NamePattern
    public let explanation: String
    let suggest: @Sendable (_ name: String, _ schema: HistorySchema?) -> ColumnSuggestion?

    init(_ id: String, _ pattern: NamePattern, _ explanation: String, _ suggest: @escaping @Sendable (String, HistorySchema?) -> ColumnSuggestion?) {
        self.id = id
        self.pattern = pattern
        self.explanation = explanation
        self.suggest = suggest
    }
}

public enum NameRules {
    /// The rules, in the order they are tried.
    public static let table: [NameRule] = [
        NameRule("reference", .suffix(["_id"]),
                 "The key of the table it names (project_id: projects.id, when the history has that table): its type, NOT NULL, a foreign key with the ON DELETE the history uses most for keys to that table (else the most used of all), and its index.") { name, schema in
            reference(name, schema)
        },
        NameRule("timestamp", .suffix(["_at"]), "A timezone-aware datetime.") { _, _ in
            ColumnSuggestion(rule: "timestamp", type: .datetime)
        },
        NameRule("date", .suffix(["_on", "_date"]), "A date.") { _, _ in
            ColumnSuggestion(rule: "date", type: .date)
        },
        NameRule("flag", .prefix(["is_", "has_"]), "A boolean, NOT NULL, default false.") { _, _ in
            var s = ColumnSuggestion(rule: "flag", type: .boolean)
            s.nullable = false
            s.defaultValue = .bool(false)
            return s
        },
        NameRule("state", .exactly(["status", "state", "kind"]),
                 "A string(32), NOT NULL, with allowed values (asked next); the first value is the default.") { _, _ in
            var s = ColumnSuggestion(rule: "state", type: .string)
            s.length = 32
            s.nullable = false
            s.asksValues = true
            return s
        },
        NameRule("money", .exactly(["amount", "price", "total", "cost"]), "numeric(12, 2).") { _, _ in
            var s = ColumnSuggestion(rule: "money", type: .numeric)
            s.precision = 12
            s.scale = 2
            return s
        },
        NameRule("counter", .suffix(["_count"]), "An integer, NOT NULL, default 0.") { _, _ in
            var s = ColumnSuggestion(rule: "counter", type: .integer)
            s.nullable = false
            s.defaultValue = .int(0)
            return s
        },
        NameRule("email", .exactly(["email"]), "A string(255).") { _, _ in
            var s = ColumnSuggestion(rule: "email", type: .string)
            s.length = 255
            return s
        },
        NameRule("document", .exactly(["payload", "metadata", "data"]), "JSONB, NOT NULL, default {}.") { _, _ in
            var s = ColumnSuggestion(rule: "document", type: .jsonb)
            s.nullable = false
            s.defaultValue = .json(.object([:]))
            return s
        },
        NameRule("history", .any, "What the history uses most for a column of that name: its type (with length, precision and scale) and its nullability.") { name, schema in
            mostUsed(name, schema)
        },
    ]

    /// The suggestion for a column named `name`, or nil when no rule has one (or the name is not a name yet).
    public static func suggest(for name: String, schema: HistorySchema?) -> ColumnSuggestion? {
        let name = name.trimmingSpaces
        guard !name.isEmpty else { return nil }
        for rule in table where rule.pattern.matches(name) {
            if let s = rule.suggest(name, schema) { return s }
        }
        return nil
    }

    /// The table `project_id` names, as the history has it: `projects`, `project`, `categories` for `category_id`.
    public static func referencedTable(for name: String, schema: HistorySchema?) -> String? {
        guard let schema, name.hasSuffix("_id"), name.count > 3 else { return nil }
        let stem = String(name.dropLast(3))
        var candidates = [stem + "s", stem, stem + "es"]
        if stem.hasSuffix("y") { candidates.insert(String(stem.dropLast()) + "ies", at: 0) }
        return candidates.first { schema.tables[$0] != nil }
    }

    static func reference(_ name: String, _ schema: HistorySchema?) -> ColumnSuggestion? {
        var s = ColumnSuggestion(rule: "reference", type: .uuid)
        s.nullable = false
        if let table = referencedTable(for: name, schema: schema), let schema, let t = schema.tables[table],
           t.primaryKey.count == 1, let key = t.column(t.primaryKey[0]) {
            if let kind = SQLAlchemyType(key.type) {
                s.type = kind.type
                s.length = kind.length
                s.precision = kind.precision
                s.scale = kind.scale
            }
            s.referencesTable = table
            s.referencesColumn = key.name
            s.onDelete = mostUsedOnDelete(to: table, schema) ?? mostUsedOnDelete(to: nil, schema)
        } else if let schema {
            // No such table: the key type most of the history's tables use.
            let keys = schema.tables.keys.sorted().map { schema.tables[$0]! }.compactMap { t -> ColumnType? in
                guard t.primaryKey.count == 1, let c = t.column(t.primaryKey[0]) else { return nil }
                return SQLAlchemyType(c.type)?.type
            }
            // A tie goes to the seed's uuid.
            if let most = mostCommon(keys, order: [.uuid] + ColumnType.allCases.filter { $0 != .uuid }) { s.type = most }
        }
        return s
    }

    /// The ON DELETE most foreign keys to `table` have (to any table when nil); ties go to the first in `OnDelete`'s order.
    static func mostUsedOnDelete(to table: String?, _ schema: HistorySchema?) -> OnDelete? {
        guard let schema else { return nil }
        let actions = schema.tables.keys.sorted().flatMap { schema.tables[$0]!.foreignKeys }
            .filter { table == nil || $0.referencedTable == table }
            .compactMap { $0.onDelete.flatMap { OnDelete(rawValue: $0.uppercased()) } }
        return mostCommon(actions, order: OnDelete.allCases)
    }

    static func mostUsed(_ name: String, _ schema: HistorySchema?) -> ColumnSuggestion? {
        guard let schema else { return nil }
        let columns = schema.tables.keys.sorted().compactMap { schema.tables[$0]!.column(name) }
        struct Shape: Hashable {
            var type: SQLAlchemyType
            var nullable: Bool
        }
        let shapes = columns.compactMap { c in SQLAlchemyType(c.type).map { Shape(type: $0, nullable: c.nullable) } }
        guard let most = mostCommon(shapes) else { return nil }
        var s = ColumnSuggestion(rule: "history", type: most.type.type)
        s.length = most.type.length
        s.precision = most.type.precision
        s.scale = most.type.scale
        s.nullable = most.nullable ? nil : false
        return s
    }

    /// The value seen most often; ties go to the one seen first (or first in `order`).
    static func mostCommon<T: Hashable>(_ values: [T], order: [T]? = nil) -> T? {
        var counts: [T: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        let ranked = order ?? values.reduce(into: [T]()) { if !$0.contains($1) { $0.append($1) } }
        var best: T?
        for v in ranked where counts[v] != nil {
            if best == nil || counts[v]! > counts[best!]! { best = v }
        }
        return best
    }
}

/// A spec type read back from the SQLAlchemy type a migration wrote (`sa.String(length=32)`).
struct SQLAlchemyType: Hashable, Sendable {
    var type: ColumnType
    var length: Int?
    var precision: Int?
    var scale: Int?

    init?(_ text: String) {
        let compact = text.filter { !$0.isWhitespace }
        let head = compact.prefix { $0 != "(" }
        let name = head.split(separator: ".").last.map(String.init) ?? ""
        let args = compact.dropFirst(head.count).trimmingParens
        let numbers = args.split(separator: ",").map { part in Int(part.split(separator: "=").last.map(String.init) ?? "") }
        switch name {
        case "UUID", "Uuid": type = .uuid
        case "String", "VARCHAR", "Unicode":
            type = .string
            length = numbers.first ?? nil
        case "Text", "TEXT", "UnicodeText": type = .text
        case "Integer", "INTEGER": type = .integer
        case "BigInteger", "BIGINT": type = .bigint
        case "SmallInteger", "SMALLINT": type = .smallint
        case "Numeric", "NUMERIC", "DECIMAL":
            type = .numeric
            precision = numbers.first ?? nil
            scale = numbers.count > 1 ? numbers[1] : nil
        case "Float", "FLOAT", "REAL": type = .float
        case "Boolean", "BOOLEAN": type = .boolean
        case "Date", "DATE": type = .date
        case "DateTime", "TIMESTAMP": type = .datetime
        case "JSONB": type = .jsonb
        case "JSON": type = .json
        default: return nil
        }
    }
}

private extension Substring {
    var trimmingParens: Substring {
        var s = self
        if s.first == "(" { s = s.dropFirst() }
        if s.last == ")" { s = s.dropLast() }
        return s
    }
}

private extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
