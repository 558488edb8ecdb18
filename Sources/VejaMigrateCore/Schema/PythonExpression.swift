/// A Python expression as the schema reader sees it: just the shapes Alembic
/// operations are written with. Anything else is `.unknown`, never an error.
indirect enum PyValue: Equatable, Sendable {
    case string(String)
    /// An f-string: its text, fields as written; never a usable name.
    case fstring(String)
    case number(String)
    /// A name, dotted when written so: `sa.Column`, `True`, `batch_op`.
    case name(String)
    /// `callee(args, keyword=value)`.
    case call(PyValue, [PyValue], [PyKeyword])
    /// `.attr` on something that is not a plain name, e.g. `op.get_context().autocommit_block`.
    case attribute(PyValue, String)
    /// A list, tuple or set display.
    case list([PyValue])
    case dict
    /// `a + b` where either side may become a string once names are resolved.
    case concat(PyValue, PyValue)
    /// `*value` in a call or a display.
    case starred(PyValue)
    /// `**value` in a call.
    case doubleStarred(PyValue)
    case unknown

    /// The dotted name of a name or attribute chain, e.g. `op.create_table`.
    var dottedName: String? {
        switch self {
        case .name(let n): return n
        default: return nil
        }
    }

    /// The callee's dotted name when this is a call of a name.
    var calleeName: String? {
        if case .call(let f, _, _) = self { return f.dottedName }
        return nil
    }

    /// The last part of a dotted callee: `sa.Column` and `Column` are both `Column`.
    var calleeBase: String? {
        guard let name = calleeName else { return nil }
        if let dot = name.lastIndex(of: ".") { return String(name[name.index(after: dot)...]) }
        return name
    }

    /// A string, a name, or a `+` of those: may be a string once names are resolved.
    var maybeString: Bool {
        switch self {
        case .string, .name, .concat: return true
        default: return false
        }
    }

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// `True` / `False`, or nil for anything else.
    var boolValue: Bool? {
        if case .name(let n) = self {
            if n == "True" { return true }
            if n == "False" { return false }
        }
        return nil
    }

    var isNone: Bool { self == .name("None") }

    /// The strings of a list or tuple of strings (a lone string counts as one).
    var stringList: [String]? {
        switch self {
        case .string(let s): return [s]
        case .list(let items):
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { return nil }
                out.append(s)
            }
            return out
        default: return nil
        }
    }

    /// Whether the expression (anywhere inside) calls or names something under one of `prefixes`
    /// (e.g. `op.`), or is that name itself.
    func mentions(prefixes: [String], names: Set<String>) -> Bool {
        switch self {
        case .name(let n):
            if names.contains(n) { return true }
            return prefixes.contains { n.hasPrefix($0) }
        case .call(let f, let args, let kw):
            return f.mentions(prefixes: prefixes, names: names) || args.contains { $0.mentions(prefixes: prefixes, names: names) }
                || kw.contains { $0.value.mentions(prefixes: prefixes, names: names) }
        case .attribute(let base, _): return base.mentions(prefixes: prefixes, names: names)
        case .concat(let l, let r): return l.mentions(prefixes: prefixes, names: names) || r.mentions(prefixes: prefixes, names: names)
        case .list(let items): return items.contains { $0.mentions(prefixes: prefixes, names: names) }
        case .starred(let v), .doubleStarred(let v): return v.mentions(prefixes: prefixes, names: names)
        default: return false
        }
    }

    /// Whether `resolve` could change anything without constants: `op.f(...)`, `*[...]`, `a + b`.
    var hasResolvableParts: Bool {
        switch self {
        case .call(let f, let args, let kw):
            if let n = f.dottedName, n.hasSuffix(".f") { return true }
            return args.contains { $0.hasResolvableParts } || kw.contains { $0.value.hasResolvableParts }
        case .list(let items): return items.contains { $0.hasResolvableParts }
        case .starred, .concat: return true
        case .doubleStarred(let v): return v.hasResolvableParts
        case .attribute(let b, _): return b.hasResolvableParts
        default: return false
        }
    }

    /// Every string literal inside, in order.
    func collectStrings(into out: inout [String]) {
        switch self {
        case .string(let s), .fstring(let s): out.append(s)
        case .call(let f, let args, let kw):
            f.collectStrings(into: &out)
            for a in args { a.collectStrings(into: &out) }
            for k in kw { k.value.collectStrings(into: &out) }
        case .attribute(let base, _): base.collectStrings(into: &out)
        case .concat(let l, let r):
            l.collectStrings(into: &out)
            r.collectStrings(into: &out)
        case .list(let items): for i in items { i.collectStrings(into: &out) }
        case .starred(let v), .doubleStarred(let v): v.collectStrings(into: &out)
        default: break
        }
    }

    /// The expression as Python source, normalised: double-quoted strings, `, ` between arguments.
    var source: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .string(let s): out += PyValue.quoted(s)
        case .fstring(let s): out += "f" + PyValue.quoted(s)
        case .number(let n): out += n
        case .name(let n): out += n
        case .call(let f, let args, let kw):
            f.write(into: &out)
            out += "("
            var first = true
            for a in args {
                if !first { out += ", " }
                first = false
                a.write(into: &out)
            }
            for k in kw {
                if !first { out += ", " }
                first = false
                out += k.name + "="
                k.value.write(into: &out)
            }
            out += ")"
        case .attribute(let base, let name):
            base.write(into: &out)
            out += "." + name
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                item.write(into: &out)
            }
            out += "]"
        case .dict: out += "{...}"
        case .concat(let l, let r):
            l.write(into: &out)
            out += " + "
            r.write(into: &out)
        case .starred(let v):
            out += "*"
            v.write(into: &out)
        case .doubleStarred(let v):
            out += "**"
            v.write(into: &out)
        case .unknown: out += "..."
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

struct PyKeyword: Equatable, Sendable {
    var name: String
    var value: PyValue
}

/// A recursive-descent reader of Python expressions over the lexer's tokens.
///
/// It never fails and always moves forward: what it does not understand becomes
/// `.unknown` and is skipped to the next `,` or closing bracket at its level.
/// Nesting deeper than `maxDepth` is skipped without recursion, so hostile
/// input cannot exhaust the stack.
struct PyExpressionParser {
    typealias Token = PythonHeaderLexer.Token

    let tokens: [Token]
    var i: Int
    let end: Int
    private var depth = 0
    static let maxDepth = 64

    init(_ tokens: [Token], from start: Int = 0, to end: Int? = nil) {
        self.tokens = tokens
        self.i = start
        self.end = end ?? tokens.count
    }

    var atEnd: Bool { i >= end }

    func peek(_ offset: Int = 0) -> Token? {
        let k = i + offset
        return k < end ? tokens[k] : nil
    }

    func isOp(_ byte: UInt8, at offset: Int = 0) -> Bool {
        if case .op(let b)? = peek(offset) { return b == byte }
        return false
    }

    /// Brackets, compared directly (a `Set` would hash on every token).
    enum Brackets {
        @inline(__always) static func contains(_ b: UInt8) -> Bool { b == 0x28 || b == 0x5B || b == 0x7B }
    }
    enum Closers {
        @inline(__always) static func contains(_ b: UInt8) -> Bool { b == 0x29 || b == 0x5D || b == 0x7D }
    }
    static let open = Brackets.self
    static let close = Closers.self

    /// Whether the current token ends an expression: `,`, `:`, `=` (alone), a closing bracket, or the end.
    private var atTerminator: Bool {
        guard let t = peek() else { return true }
        // `with x as y`: `as` ends the expression.
        if t == .name("as") { return true }
        guard case .op(let b) = t else { return false }
        if b == UInt8(ascii: ",") || b == UInt8(ascii: ":") || b == UInt8(ascii: ";") || PyExpressionParser.close.contains(b) { return true }
        if b == UInt8(ascii: "=") { return !isOp(UInt8(ascii: "="), at: 1) }
        return false
    }

    /// Skips to the next `,`, `:`, `;` or closing bracket at this level (or the end), without recursion.
    mutating func skipToTerminator() {
        var level = 0
        while i < end {
            if case .op(let b) = tokens[i] {
                if PyExpressionParser.open.contains(b) {
                    level += 1
                } else if PyExpressionParser.close.contains(b) {
                    if level == 0 { return }
                    level -= 1
                } else if level == 0, b == UInt8(ascii: ",") || b == UInt8(ascii: ";") {
                    return
                }
            }
            i += 1
        }
    }

    /// Skips a bracketed group starting at an opening bracket, without recursion.
    private mutating func skipGroup() {
        var level = 0
        while i < end {
            if case .op(let b) = tokens[i] {
                if PyExpressionParser.open.contains(b) { level += 1 }
                if PyExpressionParser.close.contains(b) {
                    level -= 1
                    if level <= 0 { i += 1; return }
                }
            }
            i += 1
        }
    }

    private static let operatorWords: Set<String> = ["and", "or", "in", "is", "not", "if", "else", "for", "async"]

    /// One expression, up to a terminator. Binary operators are understood only as far as
    /// joining strings with `+`; any other combination is `.unknown`.
    mutating func expression() -> PyValue {
        if case .name(let n)? = peek(), n == "lambda" || n == "yield" || n == "await" {
            skipToTerminator()
            return .unknown
        }
        var value = unary()
        while !atTerminator {
            guard let t = peek() else { break }
            let start = i
            switch t {
            case .op(let b) where !PyExpressionParser.open.contains(b):
                // A run of operator characters: `+`, `==`, `<=`, `**`, `- -`...
                var plusOnly = true
                var n = 0
                while case .op(let c)? = peek(), !PyExpressionParser.open.contains(c), !PyExpressionParser.close.contains(c),
                      c != UInt8(ascii: ","), c != UInt8(ascii: ":"), c != UInt8(ascii: ";") {
                    if c != UInt8(ascii: "+") { plusOnly = false }
                    i += 1
                    n += 1
                }
                _ = b
                let rhs = atTerminator ? PyValue.unknown : unary()
                if plusOnly && n == 1, case .string(let l) = value, case .string(let r) = rhs {
                    value = .string(l + r)
                } else if plusOnly && n == 1, value.maybeString, rhs.maybeString {
                    value = .concat(value, rhs)
                } else {
                    value = .unknown
                }
            case .name(let w) where PyExpressionParser.operatorWords.contains(w):
                i += 1
                if !atTerminator { _ = unary() }
                value = .unknown
            default:
                // Two operands side by side: not an expression this reader knows.
                skipToTerminator()
                value = .unknown
            }
            if i == start { i += 1 }
        }
        return value
    }

    /// A primary with its trailers (`.name`, calls, subscripts), or a unary operator applied to one.
    private mutating func unary() -> PyValue {
        guard let t = peek() else { return .unknown }
        switch t {
        case .op(let b) where b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: "~"):
            i += 1
            let v = unary()
            if b == UInt8(ascii: "-"), case .number(let n) = v { return .number("-" + n) }
            if b == UInt8(ascii: "+"), case .number = v { return v }
            return .unknown
        case .name("not"):
            i += 1
            _ = unary()
            return .unknown
        default:
            return trailers(primary())
        }
    }

    private mutating func primary() -> PyValue {
        guard let t = peek() else { return .unknown }
        switch t {
        case .string, .fstring:
            var text = ""
            var isF = false
            while let t = peek() {
                if case .string(let s) = t { text += s } else if case .fstring(let s) = t { text += s; isF = true } else { break }
                i += 1
            }
            return isF ? .fstring(text) : .string(text)
        case .number(let n):
            i += 1
            return .number(n)
        case .name(let n):
            i += 1
            var name = n
            while isOp(UInt8(ascii: ".")), case .name(let part)? = peek(1) {
                name += "." + part
                i += 2
            }
            return .name(name)
        case .op(let b) where b == UInt8(ascii: "(") || b == UInt8(ascii: "["):
            if depth >= PyExpressionParser.maxDepth {
                skipGroup()
                return .unknown
            }
            let closer = b == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
            i += 1
            depth += 1
            defer { depth -= 1 }
            let (items, trailingComma, clean) = items(until: closer)
            if !clean { return .unknown }
            if b == UInt8(ascii: "("), items.count == 1, !trailingComma { return items[0] }
            return .list(items)
        case .op(UInt8(ascii: "{")):
            skipGroup()
            return .dict
        default:
            // Not the start of an expression: consume it so the caller moves on.
            i += 1
            return .unknown
        }
    }

    private mutating func trailers(_ base: PyValue) -> PyValue {
        var value = base
        while let t = peek(), case .op(let b) = t {
            if b == UInt8(ascii: "(") {
                if depth >= PyExpressionParser.maxDepth {
                    skipGroup()
                    return .unknown
                }
                i += 1
                depth += 1
                let (args, keywords, clean) = arguments()
                depth -= 1
                value = clean ? .call(value, args, keywords) : .unknown
            } else if b == UInt8(ascii: "["), value != .unknown {
                skipGroup()
                value = .unknown
            } else if b == UInt8(ascii: "."), case .name(let part)? = peek(1) {
                i += 2
                if case .name(let n) = value { value = .name(n + "." + part) } else { value = .attribute(value, part) }
            } else {
                break
            }
        }
        return value
    }

    /// Items of a display up to `closer` (consumed). `clean` is false for comprehensions and the like.
    private mutating func items(until closer: UInt8) -> ([PyValue], trailingComma: Bool, clean: Bool) {
        var items: [PyValue] = []
        var trailingComma = false
        var clean = true
        while i < end {
            if isOp(closer) { i += 1; return (items, trailingComma, clean) }
            if case .op(let b)? = peek(), PyExpressionParser.close.contains(b) {
                // A mismatched closer: stop here, the caller resynchronises.
                return (items, trailingComma, false)
            }
            let start = i
            var item: PyValue
            if isOp(UInt8(ascii: "*")) {
                i += 1
                item = .starred(expression())
            } else {
                item = expression()
            }
            trailingComma = false
            if isOp(UInt8(ascii: ",")) {
                i += 1
                trailingComma = true
            } else if !isOp(closer) {
                clean = false
                skipToTerminator()
                if isOp(UInt8(ascii: ",")) { i += 1 }
                item = .unknown
            }
            items.append(item)
            if i == start { i += 1 }
        }
        return (items, trailingComma, false)
    }

    /// Call arguments up to `)` (consumed).
    private mutating func arguments() -> ([PyValue], [PyKeyword], clean: Bool) {
        var args: [PyValue] = []
        var keywords: [PyKeyword] = []
        let closer = UInt8(ascii: ")")
        while i < end {
            if isOp(closer) { i += 1; return (args, keywords, true) }
            if case .op(let b)? = peek(), PyExpressionParser.close.contains(b) { return (args, keywords, false) }
            let start = i
            if case .name(let n)? = peek(), isOp(UInt8(ascii: "="), at: 1), !isOp(UInt8(ascii: "="), at: 2) {
                i += 2
                keywords.append(PyKeyword(name: n, value: expression()))
            } else if isOp(UInt8(ascii: "*")), isOp(UInt8(ascii: "*"), at: 1) {
                i += 2
                args.append(.doubleStarred(expression()))
            } else if isOp(UInt8(ascii: "*")) {
                i += 1
                args.append(.starred(expression()))
            } else {
                args.append(expression())
            }
            if isOp(UInt8(ascii: ",")) {
                i += 1
            } else if !isOp(closer) {
                // A generator argument, a walrus, or something stranger.
                skipToTerminator()
                if isOp(UInt8(ascii: ",")) { i += 1 }
                if !args.isEmpty { args[args.count - 1] = .unknown }
            }
            if i == start { i += 1 }
        }
        return (args, keywords, false)
    }
}
