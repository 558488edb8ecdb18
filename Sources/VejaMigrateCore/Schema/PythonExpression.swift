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
    /// A dict display whose entries read: each a `.list([key, value])`.
    case dictionary([PyValue])
    /// A dict this reader does not follow (`**spread`, comprehensions).
    case dict
    /// `a + b` where either side may become a string once names are resolved.
    case concat(PyValue, PyValue)
    /// `*value` in a call or a display.
    case starred(PyValue)
    /// `**value` in a call.
    case doubleStarred(PyValue)
    /// A binary operator (`==`, `in`, `not in`, `is`, `and`, `or`, `%`, `-`...) before evaluation.
    case binary(String, PyValue, PyValue)
    case not(PyValue)
    /// `value[index]`.
    case index(PyValue, PyValue)
    /// `value[lower:upper]` (no step); `.unknown` bounds when left out are `nil`.
    case slice(PyValue, PyValue?, PyValue?)
    /// `element for target in iterable if condition...`, in any brackets (one `for` clause).
    case comprehension(PyValue, PyValue, PyValue, [PyValue])
    /// `value if condition else other`.
    case conditional(PyValue, PyValue, PyValue)
    /// What evaluation knows an object to be: the connection, an inspector, a helper function...
    case handle(PyHandle)
    /// A truth decided against the schema at replay (an inspector's answer).
    case condition(SchemaCondition)
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
        case .starred(let v), .doubleStarred(let v), .not(let v): return v.mentions(prefixes: prefixes, names: names)
        case .binary(_, let l, let r), .index(let l, let r): return l.mentions(prefixes: prefixes, names: names) || r.mentions(prefixes: prefixes, names: names)
        case .comprehension(let a, _, let b, let cs): return a.mentions(prefixes: prefixes, names: names) || b.mentions(prefixes: prefixes, names: names) || cs.contains { $0.mentions(prefixes: prefixes, names: names) }
        case .conditional(let a, let b, let c): return [a, b, c].contains { $0.mentions(prefixes: prefixes, names: names) }
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
        case .starred, .concat, .fstring, .binary, .not, .index, .slice, .comprehension, .conditional, .dictionary: return true
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
        case .starred(let v), .doubleStarred(let v), .not(let v): v.collectStrings(into: &out)
        case .binary(_, let l, let r), .index(let l, let r):
            l.collectStrings(into: &out)
            r.collectStrings(into: &out)
        case .comprehension(let a, _, let b, let cs):
            a.collectStrings(into: &out)
            b.collectStrings(into: &out)
            for c in cs { c.collectStrings(into: &out) }
        case .conditional(let a, let b, let c):
            for v in [a, b, c] { v.collectStrings(into: &out) }
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
        case .dict, .dictionary: out += "{...}"
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
        case .binary, .not, .index, .slice, .comprehension, .conditional, .handle, .condition, .unknown: out += "..."
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

/// Objects the evaluator follows: what `op.get_bind()`, `sa.inspect(bind)` and the like give.
enum PyHandle: Equatable, Sendable {
    /// `op` itself (passed to a helper).
    case operations
    /// `op.get_bind()`, its engine.
    case connection
    /// `op.get_context()`, `context.get_context()`.
    case migrationContext
    /// `alembic.context` (the module) and `context.config`.
    case contextModule
    case config
    /// `bind.dialect`: PostgreSQL's.
    case dialect
    /// The database URL (`bind.engine.url`, `str(...)` of it, the `sqlalchemy.url` option): a PostgreSQL URL.
    case url
    /// `sa.inspect(bind)`.
    case inspector
    /// What an inspector lists: `get_table_names()`, or `get_columns(t)`, `get_indexes(t)`... for a table.
    case reflected(ReflectedKind, table: String?)
    /// The names of what is reflected: `[c["name"] for c in insp.get_columns(t)]`.
    case reflectedNames(ReflectedKind, table: String?)
    /// `with op.batch_alter_table(t) as alias`: the alias (nil table when it is not known).
    case batch(String?)
    /// A function defined in the same file, by index in the reader's table of functions.
    case function(Int)
}

/// What an inspector lists.
enum ReflectedKind: Equatable, Sendable {
    case tables, columns, indexes, uniqueConstraints, foreignKeys, checkConstraints
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
    /// Operands already parsed, by first token: `operand()`.
    private var operands: [Int: (value: PyValue, end: Int)] = [:]

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

    /// One expression, up to a terminator: a conditional expression over `or`/`and`/`not`,
    /// comparisons and arithmetic. `+` of strings joins them; other operators stay as `.binary`
    /// for the evaluator, which turns what it cannot decide into `.unknown`.
    mutating func expression() -> PyValue {
        if case .name(let n)? = peek(), n == "lambda" || n == "yield" {
            skipToTerminator()
            return .unknown
        }
        // Most expressions are one operand (a string, a name, a call): no operator levels needed.
        if let t = peek(), PyExpressionParser.startsOperand(t) {
            let save = i
            let value = operand()
            if atSimpleEnd { return value }
            i = save
        }
        guard enter() else { return .unknown }
        defer { depth -= 1 }
        let value = orTest()
        if case .name("if")? = peek() {
            i += 1
            let condition = orTest()
            guard case .name("else")? = peek() else {
                skipToTerminator()
                return .unknown
            }
            i += 1
            let other = expression()
            return .conditional(value, condition, other)
        }
        return value
    }

    /// An expression, or a bare tuple of them (`"a", "b"` after `=`, `return`, `in`).
    mutating func expressionList() -> PyValue {
        let first = expression()
        guard isOp(UInt8(ascii: ",")) else { return first }
        var items = [first]
        while isOp(UInt8(ascii: ",")) {
            i += 1
            if atEnd || isOp(UInt8(ascii: "=")) { break }
            let start = i
            items.append(expression())
            if i == start { break }
        }
        return .list(items)
    }

    private static func startsOperand(_ t: Token) -> Bool {
        switch t {
        case .string, .fstring, .number: return true
        case .name(let n): return !keywords.contains(n) && n != "await"
        case .op(let b): return b == UInt8(ascii: "(") || b == UInt8(ascii: "[") || b == UInt8(ascii: "{")
        }
    }

    /// Whether the cursor is where a lone operand ends an expression.
    private var atSimpleEnd: Bool {
        guard let t = peek() else { return true }
        switch t {
        case .op(let b):
            if b == UInt8(ascii: ",") || b == UInt8(ascii: ":") || b == UInt8(ascii: ";") || PyExpressionParser.close.contains(b) { return true }
            return b == UInt8(ascii: "=") && !isOp(UInt8(ascii: "="), at: 1)
        case .name(let n): return n == "for" || n == "as" || n == "async"
        default: return false
        }
    }

    /// Counts one level of recursion; past `maxDepth` the rest is skipped and false returned.
    private mutating func enter() -> Bool {
        if depth >= PyExpressionParser.maxDepth {
            skipToTerminator()
            return false
        }
        depth += 1
        return true
    }

    private mutating func orTest() -> PyValue {
        var value = andTest()
        while case .name("or")? = peek() {
            i += 1
            value = .binary("or", value, andTest())
        }
        return value
    }

    private mutating func andTest() -> PyValue {
        var value = notTest()
        while case .name("and")? = peek() {
            i += 1
            value = .binary("and", value, notTest())
        }
        return value
    }

    private mutating func notTest() -> PyValue {
        var count = 0
        while case .name("not")? = peek(), !(peek(1) == .name("in")) {
            i += 1
            count += 1
        }
        var value = comparison()
        for _ in 0..<count { value = .not(value) }
        return value
    }

    /// The comparison operator at the cursor and its length in tokens.
    private func comparisonOperator() -> (String, Int)? {
        switch peek() {
        case .name("in")?: return ("in", 1)
        case .name("not")? where peek(1) == .name("in"): return ("not in", 2)
        case .name("is")? where peek(1) == .name("not"): return ("is not", 2)
        case .name("is")?: return ("is", 1)
        case .op(let b)?:
            let eq = isOp(UInt8(ascii: "="), at: 1)
            switch b {
            case UInt8(ascii: "="): return eq ? ("==", 2) : nil
            case UInt8(ascii: "!"): return eq ? ("!=", 2) : nil
            case UInt8(ascii: "<"): return isOp(UInt8(ascii: "<"), at: 1) ? nil : (eq ? ("<=", 2) : ("<", 1))
            case UInt8(ascii: ">"): return isOp(UInt8(ascii: ">"), at: 1) ? nil : (eq ? (">=", 2) : (">", 1))
            default: return nil
            }
        default: return nil
        }
    }

    private mutating func comparison() -> PyValue {
        var value = bitwise()
        var chained = false
        while let (op, length) = comparisonOperator() {
            i += length
            let rhs = bitwise()
            value = chained ? .unknown : .binary(op, value, rhs)
            chained = true
        }
        return value
    }

    /// `|`, `^`, `&`, `<<`, `>>`: never needed, read and dropped.
    private mutating func bitwise() -> PyValue {
        var value = arithmetic()
        while case .op(let b)? = peek() {
            if b == UInt8(ascii: "|") || b == UInt8(ascii: "^") || b == UInt8(ascii: "&") {
                i += 1
            } else if (b == UInt8(ascii: "<") || b == UInt8(ascii: ">")), isOp(b, at: 1) {
                i += 2
            } else {
                break
            }
            _ = arithmetic()
            value = .unknown
        }
        return value
    }

    private mutating func arithmetic() -> PyValue {
        var value = term()
        while case .op(let b)? = peek(), b == UInt8(ascii: "+") || b == UInt8(ascii: "-"), !isOp(UInt8(ascii: "="), at: 1) {
            i += 1
            let rhs = term()
            if b == UInt8(ascii: "+") {
                if case .string(let l) = value, case .string(let r) = rhs {
                    value = .string(l + r)
                } else if value.maybeString, rhs.maybeString {
                    value = .concat(value, rhs)
                } else {
                    value = .binary("+", value, rhs)
                }
            } else {
                value = .binary("-", value, rhs)
            }
        }
        return value
    }

    private mutating func term() -> PyValue {
        var value = factor()
        while case .op(let b)? = peek(), b == UInt8(ascii: "*") || b == UInt8(ascii: "/") || b == UInt8(ascii: "%") || b == UInt8(ascii: "@"),
              !isOp(UInt8(ascii: "="), at: 1), !(b == UInt8(ascii: "*") && isOp(UInt8(ascii: "*"), at: 1)) {
            i += 1
            var op = String(UnicodeScalar(b))
            if b == UInt8(ascii: "/"), isOp(UInt8(ascii: "/")) {
                i += 1
                op = "//"
            }
            value = .binary(op, value, factor())
        }
        return value
    }

    /// A unary operator applied to a factor, or a power.
    private mutating func factor() -> PyValue {
        guard let t = peek() else { return .unknown }
        if case .op(let b) = t, b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: "~") {
            i += 1
            guard enter() else { return .unknown }
            defer { depth -= 1 }
            let v = factor()
            if b == UInt8(ascii: "-"), case .number(let n) = v { return .number("-" + n) }
            if b == UInt8(ascii: "+"), case .number = v { return v }
            return .unknown
        }
        if case .name("await") = t { i += 1 }
        var value = operand()
        if isOp(UInt8(ascii: "*")), isOp(UInt8(ascii: "*"), at: 1), !isOp(UInt8(ascii: "="), at: 2) {
            i += 2
            guard enter() else { return .unknown }
            defer { depth -= 1 }
            _ = factor()
            value = .unknown
        }
        return value
    }

    /// A primary and its trailers (`f(x)[0].y`). Several paths parse an operand, look at what
    /// follows and parse again from the start (the one-operand fast path of `expression`, a brace
    /// that is not a dict, a bracket that is not a comprehension): remembering each long operand
    /// by where it starts keeps that linear, where nesting made it exponential (found by `make
    /// fuzz`: 34 nested `{` hung the schema reader; FuzzRegressions/python).
    private mutating func operand() -> PyValue {
        let start = i
        if let known = operands[start] {
            i = known.end
            return known.value
        }
        let value = trailers(primary())
        if i - start > 4 { operands[start] = (value, i) }
        return value
    }

    private mutating func primary() -> PyValue {
        guard let t = peek() else { return .unknown }
        switch t {
        case .string, .fstring:
            var text = ""
            var isF = false
            var parts: [(String, Bool)] = []
            while let t = peek() {
                if case .string(let s) = t { parts.append((s, false)) } else if case .fstring(let s) = t { parts.append((s, true)); isF = true } else { break }
                i += 1
            }
            for (s, f) in parts {
                // Plain parts glued to an f-string keep their braces literal.
                text += isF && !f ? s.replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}") : s
            }
            return isF ? .fstring(text) : .string(text)
        case .number(let n):
            i += 1
            return .number(n)
        case .name(let n):
            if PyExpressionParser.keywords.contains(n) {
                // A keyword where an operand belongs: not an expression this reader knows.
                return .unknown
            }
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
            if let comprehension = comprehension(until: closer) { return comprehension }
            let (items, trailingComma, clean) = items(until: closer)
            if !clean { return .unknown }
            if b == UInt8(ascii: "("), items.count == 1, !trailingComma { return items[0] }
            return .list(items)
        case .op(UInt8(ascii: "{")):
            if depth >= PyExpressionParser.maxDepth {
                skipGroup()
                return .unknown
            }
            return braces()
        default:
            // Not the start of an expression: consume it so the caller moves on.
            i += 1
            return .unknown
        }
    }

    /// Words that never start an operand.
    private static let keywords: Set<String> = ["and", "or", "in", "is", "if", "else", "for", "not", "lambda", "yield", "async"]

    /// `{...}`: a set display (as `.list`), a set comprehension, or a dict (`.dict`, not read).
    private mutating func braces() -> PyValue {
        let open = i
        i += 1
        depth += 1
        defer { depth -= 1 }
        if isOp(UInt8(ascii: "}")) { i += 1; return .dict }
        if isOp(UInt8(ascii: "*")), isOp(UInt8(ascii: "*"), at: 1) {
            i = open
            skipGroup()
            return .dict
        }
        if let comprehension = comprehension(until: UInt8(ascii: "}")) { return comprehension }
        let save = i
        _ = expression()
        if isOp(UInt8(ascii: ":")) {
            i = save
            var entries: [PyValue] = []
            while i < end, !isOp(UInt8(ascii: "}")) {
                let start = i
                let key = expression()
                guard isOp(UInt8(ascii: ":")) else { break }
                i += 1
                let value = expression()
                entries.append(.list([key, value]))
                if isOp(UInt8(ascii: ",")) { i += 1 } else if !isOp(UInt8(ascii: "}")) { break }
                if i == start { break }
            }
            if isOp(UInt8(ascii: "}")) {
                i += 1
                return .dictionary(entries)
            }
            i = open
            skipGroup()
            return .dict
        }
        i = save
        let (items, _, clean) = items(until: UInt8(ascii: "}"))
        return clean ? .list(items) : .unknown
    }

    /// `element for target in iterable [if condition]...` up to `closer` (consumed), when the
    /// bracket holds one; nil (cursor unchanged) when it does not.
    private mutating func comprehension(until closer: UInt8) -> PyValue? {
        let save = i
        // Find a depth-0 `for` before the closer without parsing twice in the common case.
        var level = 0
        var k = i
        var found = false
        while k < end {
            if case .op(let b) = tokens[k] {
                if PyExpressionParser.open.contains(b) { level += 1 }
                if PyExpressionParser.close.contains(b) {
                    if level == 0 { break }
                    level -= 1
                }
                if level == 0, b == UInt8(ascii: ",") { return nil }
            } else if level == 0, tokens[k] == .name("for") {
                found = true
                break
            }
            k += 1
        }
        guard found else { return nil }
        let element = expression()
        if case .name("async")? = peek() { i += 1 }
        guard case .name("for")? = peek() else {
            i = save
            return nil
        }
        i += 1
        let target = targetList()
        guard case .name("in")? = peek() else {
            finishGroup(closer)
            return .unknown
        }
        i += 1
        let iterable = orTest()
        var conditions: [PyValue] = []
        while case .name("if")? = peek() {
            i += 1
            conditions.append(orTest())
        }
        guard isOp(closer) else {
            // Nested `for` clauses and anything stranger.
            finishGroup(closer)
            return .unknown
        }
        i += 1
        return .comprehension(element, target, iterable, conditions)
    }

    /// Skips to just after `closer` at this level.
    private mutating func finishGroup(_ closer: UInt8) {
        var level = 0
        while i < end {
            if case .op(let b) = tokens[i] {
                if PyExpressionParser.open.contains(b) { level += 1 }
                if PyExpressionParser.close.contains(b) {
                    if level == 0 { i += 1; return }
                    level -= 1
                }
            }
            i += 1
        }
    }

    /// The target of a `for`: names, possibly in tuples (`a, (b, c)`), up to `in`.
    mutating func targetList() -> PyValue {
        var items: [PyValue] = []
        var tuple = false
        while i < end {
            if case .name("in")? = peek() { break }
            if case .name(let n)? = peek() {
                i += 1
                var name = n
                while isOp(UInt8(ascii: ".")), case .name(let part)? = peek(1) {
                    name += "." + part
                    i += 2
                }
                items.append(.name(name))
            } else if isOp(UInt8(ascii: "(")) || isOp(UInt8(ascii: "[")) {
                let closer = isOp(UInt8(ascii: "(")) ? UInt8(ascii: ")") : UInt8(ascii: "]")
                i += 1
                guard enter() else { return .unknown }
                let inner = targetList()
                depth -= 1
                guard isOp(closer) else { return .unknown }
                i += 1
                items.append(inner)
            } else if isOp(UInt8(ascii: ",")) {
                i += 1
                tuple = true
                continue
            } else {
                return .unknown
            }
        }
        if items.count == 1, !tuple { return items[0] }
        return .list(items)
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
                if depth >= PyExpressionParser.maxDepth {
                    skipGroup()
                    return .unknown
                }
                i += 1
                depth += 1
                let index: PyValue? = isOp(UInt8(ascii: ":")) ? nil : expression()
                var upper: PyValue?
                var isSlice = false
                if isOp(UInt8(ascii: ":")) {
                    i += 1
                    isSlice = true
                    if !isOp(UInt8(ascii: "]")) { upper = expression() }
                }
                depth -= 1
                if isOp(UInt8(ascii: "]")) {
                    i += 1
                    value = isSlice ? .slice(value, index, upper) : .index(value, index ?? .unknown)
                } else {
                    // A slice or something stranger.
                    finishGroup(UInt8(ascii: "]"))
                    value = .unknown
                }
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
            } else if let generator = comprehension(until: closer) {
                args.append(generator)
                return (args, keywords, true)
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
