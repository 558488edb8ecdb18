/// A run of text in one style.
public struct Span: Equatable, Sendable {
    public var text: String
    public var style: Style
}

/// A line of the preview, split into styled spans.
public struct HighlightedLine: Equatable, Sendable {
    public var spans: [Span]

    public var text: String { spans.map(\.text).joined() }
}

/// Syntax highlighting for the preview: just enough Python and SQL to read the file at a glance.
public enum Highlighter {
    static let keyword = Style(foreground: .magenta, bold: true)
    static let string = Style(foreground: .green)
    static let comment = Style(foreground: .gray, dim: true)
    static let number = Style(foreground: .cyan)
    static let call = Style(foreground: .blue)
    static let docstring = Style(foreground: .green, dim: true)

    static let pythonKeywords: Set<String> = [
        "def", "from", "import", "return", "pass", "None", "True", "False", "as", "if", "else", "for", "in", "with", "and", "or", "not",
    ]

    /// Highlights Python source; triple-quoted strings may span lines.
    public static func python(_ source: String) -> [HighlightedLine] {
        var lines: [HighlightedLine] = []
        var inTriple = false
        for raw in source.split(separator: "\n", omittingEmptySubsequences: false).dropLast(source.hasSuffix("\n") ? 1 : 0) {
            let line = String(raw)
            var spans: [Span] = []
            var rest = Substring(line)
            if inTriple {
                if let end = rest.range(of: "\"\"\"") {
                    spans.append(Span(text: String(rest[..<end.upperBound]), style: docstring))
                    rest = rest[end.upperBound...]
                    inTriple = false
                } else {
                    lines.append(HighlightedLine(spans: [Span(text: line, style: docstring)]))
                    continue
                }
            }
            if rest.hasPrefix("\"\"\"") {
                let after = rest.dropFirst(3)
                if let end = after.range(of: "\"\"\"") {
                    spans.append(Span(text: String(rest[..<end.upperBound]), style: docstring))
                    rest = after[end.upperBound...]
                } else {
                    spans.append(Span(text: String(rest), style: docstring))
                    inTriple = true
                    lines.append(HighlightedLine(spans: spans))
                    continue
                }
            }
            spans += tokens(rest, keywords: pythonKeywords, commentPrefix: "#")
            lines.append(HighlightedLine(spans: merge(spans)))
        }
        return lines
    }

    static let sqlKeywords: Set<String> = [
        "CREATE", "TABLE", "INDEX", "UNIQUE", "DROP", "PRIMARY", "KEY", "FOREIGN", "REFERENCES", "ON", "DELETE", "CASCADE",
        "SET", "NULL", "NOT", "DEFAULT", "CONSTRAINT", "CHECK", "IN", "RESTRICT", "NO", "ACTION", "WITH", "TIME", "ZONE",
    ]

    public static func sql(_ source: String) -> [HighlightedLine] {
        source.split(separator: "\n", omittingEmptySubsequences: false).dropLast(source.hasSuffix("\n") ? 1 : 0).map {
            HighlightedLine(spans: merge(tokens(Substring($0), keywords: sqlKeywords, commentPrefix: "--")))
        }
    }

    /// Splits one line into words, strings, numbers, comments and punctuation.
    static func tokens(_ line: Substring, keywords: Set<String>, commentPrefix: String) -> [Span] {
        var spans: [Span] = []
        var i = line.startIndex
        while i < line.endIndex {
            let ch = line[i]
            if line[i...].hasPrefix(commentPrefix) {
                spans.append(Span(text: String(line[i...]), style: comment))
                break
            }
            if ch == "\"" || ch == "'" {
                var j = line.index(after: i)
                while j < line.endIndex, line[j] != ch {
                    if line[j] == "\\" { j = line.index(after: j); if j == line.endIndex { break } }
                    j = line.index(after: j)
                }
                if j < line.endIndex { j = line.index(after: j) }
                spans.append(Span(text: String(line[i..<j]), style: string))
                i = j
            } else if isLetter(ch) || ch == "_" {
                var j = i
                while j < line.endIndex, isLetter(line[j]) || isNumber(line[j]) || line[j] == "_" || line[j] == "." { j = line.index(after: j) }
                let word = String(line[i..<j])
                let style: Style
                if keywords.contains(word) { style = keyword } else if j < line.endIndex, line[j] == "(" { style = call } else { style = .plain }
                spans.append(Span(text: word, style: style))
                i = j
            } else if isNumber(ch) {
                var j = i
                while j < line.endIndex, isNumber(line[j]) || line[j] == "." { j = line.index(after: j) }
                spans.append(Span(text: String(line[i..<j]), style: number))
                i = j
            } else {
                spans.append(Span(text: String(ch), style: .plain))
                i = line.index(after: i)
            }
        }
        return spans
    }

    static func isLetter(_ c: Character) -> Bool {
        if let a = c.asciiValue { return (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A }
        return c.isLetter
    }

    static func isNumber(_ c: Character) -> Bool {
        if let a = c.asciiValue { return a >= 0x30 && a <= 0x39 }
        return c.isNumber
    }

    /// Joins neighbouring spans of the same style.
    static func merge(_ spans: [Span]) -> [Span] {
        var out: [Span] = []
        for s in spans {
            if let last = out.last, last.style == s.style { out[out.count - 1].text += s.text } else { out.append(s) }
        }
        return out
    }
}
