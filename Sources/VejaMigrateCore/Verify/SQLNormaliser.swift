/// The comparable form of an SQL expression (a default, an index key or predicate, a CHECK), so
/// that what PostgreSQL prints back (`'DRAFT'::character varying`, `(status)::text = ANY (ARRAY[...])`)
/// and what a migration wrote (`'DRAFT'`, `status IN (...)`) compare equal.
///
/// It tokenises and re-joins with one spacing rule; lowercases outside strings; unquotes
/// identifiers that need no quotes; strips casts (`'5'::integer` becomes `5`); drops grouping
/// parentheses (not those of a call or of `IN`/`ANY`/`ARRAY`...); turns `x = ANY (ARRAY[a, b])`
/// into `x IN (a, b)` and `!=` into `<>`. It is lenient (it is not a parser): `(a OR b) AND c`
/// equals `a OR (b AND c)`. A difference it lets through is reported as a warning, never a failure.
public enum SQLNormaliser {
    enum Kind { case str, qid, num, word, op }
    struct Token: Equatable { var kind: Kind; var text: String }

    public static func normalise(_ text: String?) -> String {
        guard let text else { return "none" }
        var t = stripCasts(tokens(text))
        t = dropParens(t)
        t = anyArrayToIn(t)
        t = dropParens(t)
        return render(t)
    }

    /// `(column, values)` when a CHECK is `col IN (...)` or `col = ANY (ARRAY[...])`.
    public static func allowedValues(_ text: String) -> (column: String, values: [String])? {
        var t = dropParens(stripCasts(tokens(text)))
        if t.first == Token(kind: .word, text: "check") { t = dropParens(Array(t.dropFirst())) }
        t = anyArrayToIn(t)
        guard t.count >= 5, t[0].kind == .word, t[1] == Token(kind: .word, text: "in"), t[2] == Token(kind: .op, text: "("),
              t.last == Token(kind: .op, text: ")") else { return nil }
        var values: [String] = []
        for (n, tok) in t[3..<(t.count - 1)].enumerated() {
            if n % 2 == 1 {
                guard tok == Token(kind: .op, text: ",") else { return nil }
                continue
            }
            switch tok.kind {
            case .str: values.append(String(tok.text.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'"))
            case .num: values.append(tok.text)
            default: return nil
            }
        }
        return (t[0].text, values)
    }

    static let multiCharOps = ["::", "<>", "!=", ">=", "<=", "||", "->>", "->", "#>>", "#>", "@>", "<@", "&&"]
    static let typeContinuation: Set<String> = ["varying", "precision", "with", "without", "time", "zone"]
    static let numericTypes: Set<String> = ["smallint", "integer", "int", "bigint", "int2", "int4", "int8", "numeric", "decimal", "real", "float4", "float8", "double"]
    static let groupingAfter: Set<String> = ["and", "or", "not", "where", "when", "then", "else", "is", "check", "case", "like", "between"]
    static let keepAfter: Set<String> = ["in", "any", "all", "some", "exists", "values", "array", "row"]

    static func tokens(_ text: String) -> [Token] {
        let c = Array(text.unicodeScalars)
        var out: [Token] = []
        var i = 0
        func isWordStart(_ u: Unicode.Scalar) -> Bool { u == "_" || (u.properties.isAlphabetic) }
        func isWord(_ u: Unicode.Scalar) -> Bool { isWordStart(u) || ("0"..."9").contains(u) || u == "$" }
        while i < c.count {
            let u = c[i]
            if u.properties.isWhitespace { i += 1; continue }
            if u == "'" || ((u == "e" || u == "E") && i + 1 < c.count && c[i + 1] == "'") {
                var j = u == "'" ? i + 1 : i + 2
                while j < c.count {
                    if c[j] == "'" {
                        if j + 1 < c.count, c[j + 1] == "'" { j += 2; continue }
                        break
                    }
                    j += 1
                }
                let end = min(j + 1, c.count)
                out.append(Token(kind: .str, text: String(String.UnicodeScalarView(c[i..<end]))))
                i = end
                continue
            }
            if u == "\"" {
                var j = i + 1
                while j < c.count {
                    if c[j] == "\"" {
                        if j + 1 < c.count, c[j + 1] == "\"" { j += 2; continue }
                        break
                    }
                    j += 1
                }
                let end = min(j + 1, c.count)
                let inner = String(String.UnicodeScalarView(c[min(i + 1, end)..<max(i + 1, end - 1)])).replacingOccurrences(of: "\"\"", with: "\"")
                let simple = !inner.isEmpty && inner.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "$" }
                    && !("0"..."9").contains(inner.unicodeScalars.first!)
                out.append(simple ? Token(kind: .word, text: inner) : Token(kind: .qid, text: String(String.UnicodeScalarView(c[i..<end]))))
                i = end
                continue
            }
            if ("0"..."9").contains(u) || (u == "." && i + 1 < c.count && ("0"..."9").contains(c[i + 1])) {
                var j = i
                while j < c.count, ("0"..."9").contains(c[j]) || c[j] == "." { j += 1 }
                if j < c.count, c[j] == "e" || c[j] == "E" {
                    var k = j + 1
                    if k < c.count, c[k] == "+" || c[k] == "-" { k += 1 }
                    if k < c.count, ("0"..."9").contains(c[k]) {
                        j = k
                        while j < c.count, ("0"..."9").contains(c[j]) { j += 1 }
                    }
                }
                out.append(Token(kind: .num, text: String(String.UnicodeScalarView(c[i..<j]))))
                i = j
                continue
            }
            if isWordStart(u) {
                var j = i
                while j < c.count, isWord(c[j]) { j += 1 }
                out.append(Token(kind: .word, text: String(String.UnicodeScalarView(c[i..<j])).lowercased()))
                i = j
                continue
            }
            let rest = String(String.UnicodeScalarView(c[i..<min(i + 3, c.count)]))
            if let op = multiCharOps.sorted(by: { $0.count > $1.count }).first(where: { rest.hasPrefix($0) }) {
                out.append(Token(kind: .op, text: op))
                i += op.unicodeScalars.count
                continue
            }
            out.append(Token(kind: .op, text: String(u)))
            i += 1
        }
        return out
    }

    static func stripCasts(_ toks: [Token]) -> [Token] {
        var out: [Token] = []
        var i = 0
        while i < toks.count {
            guard toks[i] == Token(kind: .op, text: "::") else { out.append(toks[i]); i += 1; continue }
            var j = i + 1
            var words: [String] = []
            while j < toks.count, toks[j].kind == .word || toks[j].kind == .qid {
                words.append(toks[j].text)
                j += 1
                if j + 1 < toks.count, toks[j] == Token(kind: .op, text: "."), toks[j + 1].kind == .word || toks[j + 1].kind == .qid { j += 1; continue }
                if j < toks.count, toks[j].kind == .word, typeContinuation.contains(toks[j].text) { continue }
                break
            }
            if j < toks.count, toks[j] == Token(kind: .op, text: "(") {
                var k = j + 1
                while k < toks.count, toks[k] != Token(kind: .op, text: ")") { k += 1 }
                j = k + 1
            }
            while j + 1 < toks.count, toks[j] == Token(kind: .op, text: "["), toks[j + 1] == Token(kind: .op, text: "]") { j += 2 }
            if let last = words.last, numericTypes.contains(last), let prev = out.last, prev.kind == .str {
                let literal = String(prev.text.dropFirst().dropLast())
                if literal.range(of: #"^-?\d+(\.\d+)?$"#, options: .regularExpression) != nil {
                    out.removeLast()
                    out += tokens(literal)
                }
            }
            i = j
        }
        return out
    }

    static func matching(_ toks: [Token], _ start: Int) -> Int? {
        var depth = 0
        for k in start..<toks.count {
            if toks[k] == Token(kind: .op, text: "(") { depth += 1 }
            if toks[k] == Token(kind: .op, text: ")") {
                depth -= 1
                if depth == 0 { return k }
            }
        }
        return nil
    }

    static func dropParens(_ input: [Token]) -> [Token] {
        var toks = input
        var changed = true
        while changed {
            changed = false
            for i in toks.indices where toks[i] == Token(kind: .op, text: "(") {
                guard let end = matching(toks, i) else { continue }
                let prev: Token? = i > 0 ? toks[i - 1] : nil
                if let p = prev {
                    let afterFunction = ((p.kind == .word || p.kind == .qid) && !groupingAfter.contains(p.text)) || p == Token(kind: .op, text: "]")
                    if afterFunction || (p.kind == .word && keepAfter.contains(p.text)) { continue }
                }
                if end == i + 1 { continue }
                toks = Array(toks[..<i]) + Array(toks[(i + 1)..<end]) + Array(toks[(end + 1)...])
                changed = true
                break
            }
        }
        return toks
    }

    static func anyArrayToIn(_ toks: [Token]) -> [Token] {
        var out: [Token] = []
        var i = 0
        let pattern = [Token(kind: .word, text: "any"), Token(kind: .op, text: "("), Token(kind: .word, text: "array"), Token(kind: .op, text: "[")]
        while i < toks.count {
            if toks[i] == Token(kind: .op, text: "="), i + 5 < toks.count, Array(toks[(i + 1)..<(i + 5)]) == pattern {
                var k = i + 5
                while k < toks.count, toks[k] != Token(kind: .op, text: "]") { k += 1 }
                if k + 1 < toks.count, toks[k + 1] == Token(kind: .op, text: ")") {
                    out += [Token(kind: .word, text: "in"), Token(kind: .op, text: "(")] + toks[(i + 5)..<k] + [Token(kind: .op, text: ")")]
                    i = k + 2
                    continue
                }
            }
            out.append(toks[i] == Token(kind: .op, text: "!=") ? Token(kind: .op, text: "<>") : toks[i])
            i += 1
        }
        return out
    }

    static func render(_ toks: [Token]) -> String {
        var out = ""
        for (i, t) in toks.enumerated() {
            let prev: Token? = i > 0 ? toks[i - 1] : nil
            if out.isEmpty {
                out = t.text
            } else if [")", "]", ",", ".", "::"].contains(t.text) && t.kind == .op
                || (prev.map { ["(", "[", ".", "::"].contains($0.text) && $0.kind == .op } ?? false)
                || (["(", "["].contains(t.text) && t.kind == .op && prev.map { ($0.kind == .word || $0.kind == .qid) && !keepAfter.contains($0.text) && !groupingAfter.contains($0.text) } ?? false) {
                out += t.text
            } else {
                out += " " + t.text
            }
        }
        return out
    }
}
