/// A column written on one line, as an expert types it in the wizard's column list:
/// `project_id:uuid!:fk=projects.id:cascade`, `status:string(32)!=DRAFT:enum(DRAFT,SENT,PAID,VOID):index`.
///
/// The line says only what was written: a part left out (the type, the nullability) stays nil, so
/// the name's suggestion (`NameRules`) can fill it and never overrides what was typed. Values stay
/// text (the default as the form's Default field takes it), so the form and the line are checked
/// by the same code. The grammar is in docs/column-line.md.
///
///     let line = try ColumnLine.parse("amount:numeric(12,2)!").get()
///     line.type       // .numeric
///     line.text       // "amount:numeric(12,2)!"
public struct ColumnLine: Equatable, Sendable {
    public var name: String
    public var type: ColumnType?
    public var length: Int?
    public var precision: Int?
    public var scale: Int?
    /// `!` is false (NOT NULL), `?` is true; nil when neither was written.
    public var nullable: Bool?
    /// The default as the form's Default field takes it: `DRAFT`, `0`, `now`, `{}`, `sql:EXPR`.
    public var defaultText: String?
    public var primaryKey = false
    public var unique = false
    public var index = false
    public var enumValues: [String]?
    /// `fk=TABLE[.COLUMN]`.
    public var referencesTable: String?
    public var referencesColumn: String?
    public var onDelete: OnDelete?

    public init(name: String) {
        self.name = name
    }

    /// The words that set ON DELETE, as the line writes them.
    public static let onDeleteWords: [(String, OnDelete)] = [
        ("cascade", .cascade), ("set-null", .setNull), ("restrict", .restrict), ("no-action", .noAction), ("set-default", .setDefault),
    ]

    /// The short forms the parser also reads (the printer writes the long ones).
    static let aliases: [String: String] = ["u": "unique", "i": "index"]
    static let typeAliases: [String: ColumnType] = ["str": .string, "int": .integer, "num": .numeric, "bool": .boolean]
}

/// What is wrong with a line, and where: `range` is the offending part, in characters from the start.
public struct ColumnLineError: Error, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The line starts with `:` or is empty.
        case missingName
        /// A type the spec does not know (`strin`); `close` are the types it could be.
        case unknownType(String, close: [String])
        /// `string(abc)`, `numeric(12,x)`, `uuid(4)`: the type's parameters.
        case badParameters(type: ColumnType, text: String)
        /// `:foo`: no such option; `close` are the options it could be.
        case unknownOption(String, close: [String])
        /// `fk=` with nothing after it, `enum()`.
        case missingValue(option: String)
        /// A `(` or `'` that is not closed.
        case unclosed(Character)
        /// The same option twice (`:unique:unique`), or two ON DELETE words.
        case repeated(String)
        /// ON DELETE without `fk=`.
        case onDeleteWithoutForeignKey(String)
        /// Text after `!`/`?` or a closing `)` that belongs to no part.
        case unexpected(String)
    }

    public var kind: Kind
    /// The offending part: its first character's offset and its length (at least 1, except at the end).
    public var offset: Int
    public var length: Int

    public init(_ kind: Kind, offset: Int, length: Int) {
        self.kind = kind
        self.offset = offset
        self.length = length
    }
}

extension ColumnLine {
    /// The options, in the order the printer writes them.
    public static let optionNames = ["pk", "fk=", "enum(", "unique", "index"] + onDeleteWords.map(\.0)

    /// Reads a line; the first problem is the error, pointing at its part.
    public static func parse(_ text: String) -> Result<ColumnLine, ColumnLineError> {
        var parser = LineParser(text)
        do throws(ColumnLineError) {
            return .success(try parser.line())
        } catch {
            return .failure(error)
        }
    }

    /// The line in its canonical form: `name[:type[(…)]][!|?][=default][:pk][:fk=t.c][:on-delete][:enum(…)][:unique][:index]`.
    public var text: String {
        var out = name
        if let type {
            out += ":" + type.rawValue
            switch type {
            case .string: if let length { out += "(\(length))" }
            case .numeric:
                if let precision { out += "(\(precision)" + (scale.map { ",\($0)" } ?? "") + ")" }
            default: break
            }
        }
        if let nullable { out += nullable ? "?" : "!" }
        if let defaultText { out += "=" + ColumnLine.quoted(defaultText, keep: "") }
        if primaryKey { out += ":pk" }
        if let referencesTable {
            out += ":fk=" + referencesTable + (referencesColumn.map { "." + $0 } ?? "")
        }
        if let onDelete, let word = ColumnLine.onDeleteWords.first(where: { $0.1 == onDelete })?.0 { out += ":" + word }
        if let enumValues { out += ":enum(" + enumValues.map { ColumnLine.quoted($0, keep: "") }.joined(separator: ",") + ")" }
        if unique { out += ":unique" }
        if index { out += ":index" }
        return out
    }

    /// A value as the line writes it: bare when it can be read back bare, else in single quotes ('' for ').
    static func quoted(_ value: String, keep: String) -> String {
        let special: Set<Character> = [":", ",", "(", ")", "'", "="]
        let bare = !value.isEmpty && !value.contains(where: { special.contains($0) || $0.isWhitespace })
        return bare ? value : "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

/// A hand-written reader over the line's characters; every error carries its position.
private struct LineParser {
    let chars: [Character]
    var i = 0

    init(_ text: String) { chars = Array(text) }

    func fail(_ kind: ColumnLineError.Kind, at start: Int, to end: Int? = nil) -> ColumnLineError {
        // At the end of the line the part is empty: what is missing goes there.
        let end = end ?? (start < chars.count ? start + 1 : start)
        return ColumnLineError(kind, offset: start, length: max(end, start) - start)
    }

    var atEnd: Bool { i >= chars.count }
    var peek: Character? { atEnd ? nil : chars[i] }

    /// Letters, digits and `_`, `.`, `-` (names and words).
    mutating func word() -> String {
        let start = i
        while let c = peek, c.isLetter || c.isNumber || c == "_" || c == "." || c == "-" { i += 1 }
        return String(chars[start..<i])
    }

    mutating func line() throws(ColumnLineError) -> ColumnLine {
        let nameStart = i
        let name = word()
        guard !name.isEmpty else { throw fail(.missingName, at: nameStart) }
        var line = ColumnLine(name: name)
        try marks(&line)
        var first = true
        var seen: Set<String> = []
        while !atEnd {
            guard peek == ":" else { throw fail(.unexpected(String(chars[i...])), at: i, to: chars.count) }
            i += 1
            let start = i
            let w = word()
            let lower = w.lowercased()
            let key = ColumnLine.aliases[lower] ?? lower
            func once(_ name: String) throws(ColumnLineError) {
                guard seen.insert(name).inserted else { throw fail(.repeated(name), at: start, to: i) }
            }
            if first, let type = ColumnType(rawValue: lower) ?? ColumnLine.typeAliases[lower] {
                // The type comes first, its parameters and marks right after it.
                line.type = type
                try parameters(&line, type: type, start: start)
                try marks(&line)
            } else if key == "pk" {
                try once("pk")
                line.primaryKey = true
            } else if key == "unique" || key == "index" {
                try once(key)
                if key == "unique" { line.unique = true } else { line.index = true }
            } else if key == "fk" {
                try once("fk")
                guard peek == "=" else { throw fail(.missingValue(option: "fk"), at: start, to: i) }
                i += 1
                let at = i
                let target = word()
                guard !target.isEmpty else { throw fail(.missingValue(option: "fk"), at: at) }
                let parts = target.split(separator: ".", maxSplits: 1).map(String.init)
                line.referencesTable = parts[0]
                line.referencesColumn = parts.count > 1 ? parts[1] : nil
            } else if key == "enum" {
                try once("enum")
                guard peek == "(" else { throw fail(.missingValue(option: "enum"), at: start, to: i) }
                let values = try list(openAt: i)
                guard !values.isEmpty else { throw fail(.missingValue(option: "enum"), at: start, to: i) }
                line.enumValues = values
            } else if let od = ColumnLine.onDeleteWords.first(where: { $0.0 == lower || $0.0.replacingOccurrences(of: "-", with: "") == lower })?.1 {
                try once("on delete")
                line.onDelete = od
            } else if first, peek == "(" || !w.isEmpty && ColumnLine.optionNames.allSatisfy({ !$0.hasPrefix(lower) }) {
                throw fail(.unknownType(w, close: ColumnLine.close(lower, in: ColumnType.allCases.map(\.rawValue))), at: start, to: max(i, start + 1))
            } else {
                let close = ColumnLine.close(lower, in: ColumnLine.optionNames.map { $0.trimmingSuffix("=(") })
                throw fail(w.isEmpty ? .unexpected(atEnd ? ":" : String(chars[i...])) : .unknownOption(w, close: close), at: w.isEmpty ? max(0, start - 1) : start, to: max(i, start + 1))
            }
            // A default may also follow an option (`status:enum(DRAFT,SENT)=DRAFT`), not `fk=`'s target.
            // (After the type its marks have read it already.)
            if key != "fk", peek == "=" { try defaultValue(&line) }
            first = false
        }
        if line.onDelete != nil, line.referencesTable == nil {
            let word = ColumnLine.onDeleteWords.first { $0.1 == line.onDelete }!.0
            let at = String(chars).range(of: word).map { String(chars).distance(from: String(chars).startIndex, to: $0.lowerBound) } ?? 0
            throw fail(.onDeleteWithoutForeignKey(word), at: at, to: at + word.count)
        }
        return line
    }

    /// `(64)` after string, `(12,2)` or `(12)` after numeric; no other type takes any.
    mutating func parameters(_ line: inout ColumnLine, type: ColumnType, start: Int) throws(ColumnLineError) {
        guard peek == "(" else { return }
        let open = i
        let items = try list(openAt: open)
        let text = String(chars[open..<i])
        let numbers = items.map { Int($0) }
        switch type {
        case .string where numbers.count == 1 && numbers[0] != nil:
            line.length = numbers[0]
        case .numeric where (numbers.count == 1 || numbers.count == 2) && numbers.allSatisfy({ $0 != nil }):
            line.precision = numbers[0]
            line.scale = numbers.count == 2 ? numbers[1] : nil
        default:
            throw fail(.badParameters(type: type, text: text), at: open, to: i)
        }
    }

    /// `!`, `?` and `=default`, after the name or the type.
    mutating func marks(_ line: inout ColumnLine) throws(ColumnLineError) {
        if peek == "!" || peek == "?" {
            if line.nullable != nil { throw fail(.repeated(String(peek!)), at: i) }
            line.nullable = peek == "?"
            i += 1
        }
        if peek == "=" { try defaultValue(&line) }
    }

    /// `=default`: once per line, after the name, the type or an option.
    mutating func defaultValue(_ line: inout ColumnLine) throws(ColumnLineError) {
        let start = i
        if line.defaultText != nil { throw fail(.repeated("="), at: start) }
        i += 1
        let value = try self.value(stopAt: [":"])
        guard !value.isEmpty else { throw fail(.missingValue(option: "="), at: start) }
        line.defaultText = value
    }

    /// A value: `'quoted'` (with '' for '), or bare text up to a stop character outside parentheses
    /// (`sql(now() + interval '1 day')` keeps its own parentheses and colons).
    mutating func value(stopAt stops: Set<Character>) throws(ColumnLineError) -> String {
        if peek == "'" { return try quoted() }
        var out = ""
        var depth = 0
        while let c = peek {
            if depth == 0, stops.contains(c) { break }
            if c == "(" { depth += 1 } else if c == ")" {
                if depth == 0 { break }
                depth -= 1
            } else if c == "'" {
                out += "'" + (try quoted()).replacingOccurrences(of: "'", with: "''") + "'"
                continue
            }
            out.append(c)
            i += 1
        }
        if depth > 0 { throw fail(.unclosed("("), at: i - out.count, to: i) }
        return out
    }

    mutating func quoted() throws(ColumnLineError) -> String {
        let start = i
        i += 1
        var out = ""
        while true {
            guard let c = peek else { throw fail(.unclosed("'"), at: start, to: i) }
            i += 1
            if c == "'" {
                if peek == "'" { out.append("'"); i += 1 } else { return out }
            } else {
                out.append(c)
            }
        }
    }

    /// `(a,b,c)`: values separated by commas, spaces around them dropped.
    mutating func list(openAt open: Int) throws(ColumnLineError) -> [String] {
        i = open + 1
        var values: [String] = []
        while true {
            while peek == " " { i += 1 }
            let v = try value(stopAt: [",", ")"])
            values.append(v.trimmingCharacters())
            guard let c = peek else { throw fail(.unclosed("("), at: open, to: i) }
            i += 1
            if c == ")" { break }
        }
        if values == [""] { return [] }
        return values
    }
}

extension ColumnLine {
    /// The names in `names` that start like `typed`, or are one edit from it.
    static func close(_ typed: String, in names: [String]) -> [String] {
        guard !typed.isEmpty else { return [] }
        let starts = names.filter { $0.hasPrefix(typed) || typed.hasPrefix($0) }
        if !starts.isEmpty { return starts }
        return names.filter { EditDistance.atMostOne(typed, $0) }
    }
}

enum EditDistance {
    /// Whether `a` becomes `b` with at most one insertion, deletion, change or swap of neighbours.
    static func atMostOne(_ a: String, _ b: String) -> Bool {
        let x = Array(a), y = Array(b)
        if abs(x.count - y.count) > 1 { return false }
        var i = 0
        while i < x.count, i < y.count, x[i] == y[i] { i += 1 }
        if x.count == y.count {
            if i == x.count { return true }
            if Array(x[(i + 1)...]) == Array(y[(i + 1)...]) { return true }
            return i + 1 < x.count && x[i] == y[i + 1] && x[i + 1] == y[i] && Array(x[(i + 2)...]) == Array(y[(i + 2)...])
        }
        let (long, short) = x.count > y.count ? (x, y) : (y, x)
        return Array(long[(i + 1)...]) == Array(short[i...])
    }
}

private extension String {
    func trimmingSuffix(_ chars: String) -> String {
        var s = self
        while let l = s.last, chars.contains(l) { s.removeLast() }
        return s
    }

    func trimmingCharacters() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
