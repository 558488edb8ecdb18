/// One statement of a Python module or function body, built from the lexer's logical lines by
/// indentation: a simple statement (`start..<end` of `tokens`), or a compound one (`keyword`,
/// its header `start..<end` without the colon, its `body`, and its `elif`/`else`/`except`/`finally`
/// clauses). Built once per file; the reader walks it as often as loops and helpers need.
final class PyStatement {
    typealias Token = PythonHeaderLexer.Token

    /// The logical line's tokens (shared, never copied per statement).
    var tokens: [Token]
    var start: Int
    var end: Int
    var line: Int
    /// The compound keyword (`if`, `for`, `def`...; `async` dropped), nil for a simple statement.
    var keyword: String?
    var body: [PyStatement] = []
    var clauses: [PyStatement] = []
    /// Lines nested deeper than `StatementTree.maxDepth`: not walked; the tables their strings name.
    var tooDeep: [RawSQL.Mention]?

    init(tokens: [Token], start: Int, end: Int, line: Int, keyword: String? = nil, tooDeep: [RawSQL.Mention]? = nil) {
        self.tokens = tokens
        self.start = start
        self.end = end
        self.line = line
        self.keyword = keyword
        self.tooDeep = tooDeep
    }
}

enum StatementTree {
    /// Python itself stops at 100 levels of indentation.
    static let maxDepth = 100

    private static let compoundKeywords: Set<String> = ["with", "for", "while", "if", "elif", "else", "try", "except", "finally", "match", "case", "def", "class"]
    private static let clauseKeywords: Set<String> = ["elif", "else", "except", "finally"]

    /// The statements of `lines` (one block: the first line's column and deeper).
    static func build(_ lines: [PythonHeaderLexer.LogicalLine]) -> [PyStatement] {
        var i = 0
        var out: [PyStatement] = []
        while i < lines.count {
            out += block(lines, &i, depth: 0, column: lines[i].column)
        }
        return out
    }

    private static func block(_ lines: [PythonHeaderLexer.LogicalLine], _ i: inout Int, depth: Int, column: Int) -> [PyStatement] {
        var out: [PyStatement] = []
        if depth > maxDepth {
            var mentions: [RawSQL.Mention] = []
            let line = lines[i].line
            while i < lines.count, lines[i].column >= column {
                for t in lines[i].tokens {
                    if case .string(let s) = t { mentions += UpgradeReader.mentions(inString: s) }
                    if case .fstring(let s) = t { mentions += UpgradeReader.mentions(inString: s) }
                }
                i += 1
            }
            out.append(PyStatement(tokens: [], start: 0, end: 0, line: line, tooDeep: mentions))
            return out
        }
        while i < lines.count, lines[i].column >= column {
            let line = lines[i]
            i += 1
            let tokens = line.tokens
            if let compound = header(tokens, line: line.line) {
                if compound.body.isEmpty, i < lines.count, lines[i].column > line.column {
                    compound.body = block(lines, &i, depth: depth + 1, column: lines[i].column)
                }
                if let k = compound.keyword, clauseKeywords.contains(k), let last = out.last, last.keyword != nil,
                   ["if", "for", "while", "try"].contains(last.keyword!) {
                    last.clauses.append(compound)
                } else {
                    out.append(compound)
                }
            } else {
                out += simple(tokens, from: 0, to: tokens.count, line: line.line)
            }
        }
        return out
    }

    /// The compound statement a line starts, with its inline body; nil for simple statements.
    private static func header(_ tokens: [PyStatement.Token], line: Int) -> PyStatement? {
        guard case .name(var keyword)? = tokens.first else { return nil }
        var s = 0
        if keyword == "async", tokens.count > 1, case .name(let next) = tokens[1] {
            keyword = next
            s = 1
        }
        guard compoundKeywords.contains(keyword) else { return nil }
        let colon = headerColon(tokens, from: s)
        if keyword == "match" || keyword == "case" {
            // Soft keywords: only a header that ends with `:` and is not `match = ...`.
            guard colon != nil, s + 1 < tokens.count else { return nil }
            if case .op(let b) = tokens[s + 1], b == UInt8(ascii: "=") || b == UInt8(ascii: ".") || b == UInt8(ascii: ",") { return nil }
        }
        let end = colon ?? tokens.count
        let statement = PyStatement(tokens: tokens, start: s + 1, end: end, line: line, keyword: keyword)
        if let colon, colon + 1 < tokens.count {
            statement.body = simple(tokens, from: colon + 1, to: tokens.count, line: line)
        }
        return statement
    }

    /// Simple statements split at depth-0 `;`.
    private static func simple(_ tokens: [PyStatement.Token], from start: Int, to end: Int, line: Int) -> [PyStatement] {
        var out: [PyStatement] = []
        var depth = 0
        var segment = start
        var k = start
        while k < end {
            if case .op(let b) = tokens[k] {
                if PyExpressionParser.open.contains(b) { depth += 1 }
                if PyExpressionParser.close.contains(b) { depth = max(0, depth - 1) }
                if depth == 0, b == UInt8(ascii: ";") {
                    if k > segment { out.append(PyStatement(tokens: tokens, start: segment, end: k, line: line)) }
                    segment = k + 1
                }
            }
            k += 1
        }
        if segment < end { out.append(PyStatement(tokens: tokens, start: segment, end: end, line: line)) }
        return out
    }

    /// The index of the `:` that ends a compound statement's header (depth 0, not `:=`).
    static func headerColon(_ tokens: [PyStatement.Token], from start: Int, to end: Int? = nil) -> Int? {
        let end = end ?? tokens.count
        var depth = 0
        var k = start
        while k < end {
            if case .op(let b) = tokens[k] {
                if PyExpressionParser.open.contains(b) { depth += 1 }
                if PyExpressionParser.close.contains(b) { depth = max(0, depth - 1) }
                if depth == 0, b == UInt8(ascii: ":"), !(k + 1 < end && tokens[k + 1] == .op(UInt8(ascii: "="))) { return k }
            }
            k += 1
        }
        return nil
    }
}
