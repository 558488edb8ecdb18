import Foundation

/// PostgreSQL's names for column types, from what a migration wrote.
enum SQLTypes {
    /// A history spells its types the same way again and again: each distinct text is read once.
    private static let cache = Cache()

    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var known: [String: String] = [:]
    }

    /// `sqlType(reading:)`, remembered per text.
    static func sqlType(ofSQLAlchemy text: String) -> String {
        cache.lock.lock()
        if let found = cache.known[text] {
            cache.lock.unlock()
            return found
        }
        cache.lock.unlock()
        let read = sqlType(reading: text)
        cache.lock.lock()
        if cache.known.count < 10_000 { cache.known[text] = read }
        cache.lock.unlock()
        return read
    }

    /// The `format_type` name of a SQLAlchemy type expression: `sa.String(length=32)` → `character varying(32)`,
    /// `sa.DateTime(timezone=True)` → `timestamp with time zone`, `sa.Enum(..., name="status")` → `status`.
    /// Empty when the expression is not one it knows. A bare SQL type name (`VARCHAR(64)`, `INTEGER`) is read too.
    static func sqlType(reading text: String) -> String {
        // Called for every column of every migration: work on the UTF-8 view, split arguments only when needed.
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { $0 != UInt8(ascii: " ") }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != UInt8(ascii: " ") })!
        let trimmed = text[first...last]
        let open = trimmed.utf8.firstIndex(of: UInt8(ascii: "("))
        let hasArguments = open != nil && trimmed.utf8.last == UInt8(ascii: ")")
        let base = hasArguments ? trimmed[..<open!] : trimmed
        let dot = base.utf8.lastIndex(of: UInt8(ascii: "."))
        let name = String(dot.map { base[base.index(after: $0)...] } ?? base)
        let isDotted = dot != nil
        let args: [Substring] = hasArguments && (!isDotted || typesWithArguments.contains(name))
            ? topLevelArguments(trimmed[trimmed.index(after: open!)..<trimmed.index(before: trimmed.endIndex)])
            : []
        func keyword(_ k: String) -> String? {
            for a in args {
                let parts = a.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmed(" ") == k { return parts[1].trimmed(" ") }
            }
            return nil
        }
        let positional = args.filter { !$0.contains("=") || $0.first == "\"" || $0.first == "'" }.map { $0.trimmed(" ") }
        func number(_ k: String, _ position: Int) -> String? {
            if let v = keyword(k), Int(v) != nil { return v }
            return position < positional.count && Int(positional[position]) != nil ? positional[position] : nil
        }
        func unquoted(_ s: String?) -> String? {
            guard let s, s.count >= 2, let f = s.first, f == "\"" || f == "'", s.last == f else { return nil }
            return String(s.dropFirst().dropLast())
        }
        switch name {
        case "String", "VARCHAR", "Unicode", "NVARCHAR":
            return "character varying" + (number("length", 0).map { "(\($0))" } ?? "")
        case "CHAR", "NCHAR":
            return "character(" + (number("length", 0) ?? "1") + ")"
        case "Text", "TEXT", "UnicodeText", "CLOB": return "text"
        case "Integer", "INTEGER", "INT": return "integer"
        case "BigInteger", "BIGINT": return "bigint"
        case "SmallInteger", "SMALLINT": return "smallint"
        case "Numeric", "NUMERIC", "DECIMAL":
            if let p = number("precision", 0) { return "numeric(\(p),\(number("scale", 1) ?? "0"))" }
            return "numeric"
        case "Float", "FLOAT":
            if let p = number("precision", 0), let n = Int(p), n <= 24 { return "real" }
            return "double precision"
        case "REAL": return "real"
        case "Double", "DOUBLE", "DOUBLE_PRECISION": return "double precision"
        case "Boolean", "BOOLEAN": return "boolean"
        case "Date", "DATE": return "date"
        case "DateTime", "TIMESTAMP":
            return keyword("timezone") == "True" ? "timestamp with time zone" : "timestamp without time zone"
        case "Time", "TIME":
            return keyword("timezone") == "True" ? "time with time zone" : "time without time zone"
        case "Interval", "INTERVAL": return "interval"
        case "UUID", "Uuid": return "uuid"
        case "JSONB": return "jsonb"
        case "JSON": return "json"
        case "LargeBinary", "BYTEA", "LargeBinaryType": return "bytea"
        case "INET": return "inet"
        case "CIDR": return "cidr"
        case "MACADDR": return "macaddr"
        case "CITEXT": return "citext"
        case "TSVECTOR": return "tsvector"
        case "Enum", "ENUM":
            return unquoted(keyword("name")) ?? ""
        case "ARRAY":
            guard let item = positional.first ?? keyword("item_type") else { return "" }
            let inner = sqlType(ofSQLAlchemy: String(item))
            return inner.isEmpty ? "" : inner + "[]"
        default:
            // A plain SQL type name, as raw SQL or a reflected type would give it.
            guard !isDotted else { return "" }
            let mods = args.map { $0.trimmed(" ") }
            guard mods.allSatisfy({ Int($0) != nil }) else { return "" }
            return SQLDeparser.canonicalType(name, modifiers: mods).text
        }
    }

    /// The SQLAlchemy types whose arguments change the PostgreSQL type.
    private static let typesWithArguments: Set<String> = [
        "String", "VARCHAR", "Unicode", "NVARCHAR", "CHAR", "NCHAR", "Numeric", "NUMERIC", "DECIMAL", "Float", "FLOAT",
        "DateTime", "TIMESTAMP", "Time", "TIME", "Enum", "ENUM", "ARRAY",
    ]

    /// `a, b=(1, 2), "x,y"` split at commas outside brackets and quotes.
    private static func topLevelArguments(_ s: Substring) -> [Substring] {
        var out: [Substring] = []
        var depth = 0
        var quote: Character?
        var start = s.startIndex
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if let q = quote {
                if c == "\\" { i = s.index(after: i) } else if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if "([{".contains(c) {
                depth += 1
            } else if ")]}".contains(c) {
                depth -= 1
            } else if c == ",", depth == 0 {
                out.append(s[start..<i])
                start = s.index(after: i)
            }
            if i < s.endIndex { i = s.index(after: i) }
        }
        if start < s.endIndex, !s[start...].allSatisfy({ $0 == " " }) { out.append(s[start...]) }
        return out
    }
}

/// What a CHECK condition says, read with the PostgreSQL grammar.
enum CheckCondition {
    /// `status IN ('A','B')` or `status = ANY (ARRAY['A', 'B'])` (casts allowed on both sides):
    /// the column and the allowed values; nil for any other condition.
    static func allowedValues(_ condition: String) -> (column: String, values: [String])? {
        // The seed's own form, `status IN ('A','B')`, is read without the parser (most CHECKs of a history).
        if let simple = simpleInList(condition) { return simple }
        // Only conditions that can be a list are parsed: most are not, and parsing costs.
        guard condition.range(of: " IN ", options: .caseInsensitive) != nil || condition.range(of: "ANY", options: .caseInsensitive) != nil,
              let tree = try? PostgresGrammar.parse("SELECT " + condition),
              let select = PostgresGrammar.statements(tree).first, select.node == "SelectStmt",
              case .array(let targets)? = select.fields["targetList"], targets.count == 1,
              let value = targets[0].objectValue?["ResTarget"]?.objectValue?["val"]
        else { return nil }
        return allowedValues(expression: value)
    }

    /// `name IN ('A', 'B''s')` exactly (one plain column, string literals only), else nil for the parser.
    static func simpleInList(_ condition: String) -> (column: String, values: [String])? {
        let b = Array(condition.utf8)
        var i = 0
        func spaces() { while i < b.count, b[i] == 32 { i += 1 } }
        func isName(_ c: UInt8) -> Bool { c == 95 || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
        spaces()
        let start = i
        while i < b.count, isName(b[i]) { i += 1 }
        guard i > start, !(b[start] >= 48 && b[start] <= 57) else { return nil }
        let column = String(decoding: b[start..<i], as: UTF8.self)
        guard !SpecValidator.reservedWords.contains(column) else { return nil }
        spaces()
        guard i + 2 < b.count, b[i] | 0x20 == 105, b[i + 1] | 0x20 == 110, b[i + 2] == 32 || b[i + 2] == 40 else { return nil }
        i += 2
        spaces()
        guard i < b.count, b[i] == 40 else { return nil }
        i += 1
        var values: [String] = []
        while true {
            spaces()
            guard i < b.count, b[i] == 39 else { return nil }
            i += 1
            var value: [UInt8] = []
            while true {
                guard i < b.count else { return nil }
                if b[i] == 39 {
                    if i + 1 < b.count, b[i + 1] == 39 { value.append(39); i += 2; continue }
                    i += 1
                    break
                }
                // A backslash or anything unusual: let the real grammar decide.
                if b[i] == 92 { return nil }
                value.append(b[i])
                i += 1
            }
            values.append(String(decoding: value, as: UTF8.self))
            spaces()
            guard i < b.count else { return nil }
            if b[i] == 44 { i += 1; continue }
            if b[i] == 41 { i += 1; break }
            return nil
        }
        spaces()
        return i == b.count && !values.isEmpty ? (column, values) : nil
    }

    static func allowedValues(expression: JSONValue) -> (column: String, values: [String])? {
        guard let e = expression.objectValue?["A_Expr"]?.objectValue,
              let kind = e["kind"]?.stringValue, kind == "AEXPR_IN" || kind == "AEXPR_OP_ANY",
              SQLDeparser().names(e["name"]) == ["="],
              let column = columnName(e["lexpr"] ?? .null)
        else { return nil }
        var right = e["rexpr"] ?? .null
        right = uncast(right)
        let items: [JSONValue]
        if kind == "AEXPR_IN", case .array(let list)? = right.objectValue?["List"]?.objectValue?["items"] {
            items = list
        } else if kind == "AEXPR_OP_ANY", case .array(let list)? = right.objectValue?["A_ArrayExpr"]?.objectValue?["elements"] {
            items = list
        } else {
            return nil
        }
        var values: [String] = []
        for item in items {
            guard let s = uncast(item).objectValue?["A_Const"]?.objectValue?["sval"]?.objectValue?["sval"]?.stringValue else { return nil }
            values.append(s)
        }
        return (column, values)
    }

    private static func uncast(_ node: JSONValue) -> JSONValue {
        var n = node
        while let cast = n.objectValue?["TypeCast"]?.objectValue, let arg = cast["arg"] { n = arg }
        return n
    }

    private static func columnName(_ node: JSONValue) -> String? {
        let fields = SQLDeparser().names(uncast(node).objectValue?["ColumnRef"]?.objectValue?["fields"])
        return fields.count == 1 ? fields[0] : nil
    }
}
