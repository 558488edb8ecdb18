/// A small lexer for the top level of a Python module.
///
/// It understands exactly enough Python to find module-level statements:
/// strings of every quoting style (so text inside strings never looks like
/// code), comments, brackets, line continuations and indentation. Each
/// logical line is reported with the column of its first token, so callers
/// can keep only the statements at column 0 and ignore function bodies.
struct PythonHeaderLexer {
    enum Token: Equatable {
        case name(String)
        case string(String)
        /// An f-string (any prefix with `f`): its text with the `{...}` fields as written.
        case fstring(String)
        case op(UInt8)
        /// A number literal as written.
        case number(String)
    }

    struct LogicalLine {
        var column: Int
        var tokens: [Token]
        /// 1-based line number of the first token.
        var line: Int
        /// Each token's bytes in the file (prefix and quotes included), when the lexer records them.
        var spans: [Range<Int>] = []
    }

    enum LexError: Error, Equatable {
        case unterminatedString(line: Int)
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    /// Whether logical lines carry their tokens' byte spans (for rewriting a header in place).
    private let recordSpans: Bool
    /// Comments that speak to vejamigrate (`# vejamigrate: ...`) or mark unfinished work
    /// (`# TODO...`), with their 1-based line: found in the same pass that lexes the file, so
    /// `check` reads suppressions without lexing anything twice.
    private(set) var notes: [SourceComment] = []

    init(bytes: [UInt8], recordSpans: Bool = false) {
        self.bytes = bytes
        self.recordSpans = recordSpans
    }

    /// Calls `body` with each logical line in order; `body` returns false to stop early.
    mutating func forEachLogicalLine(_ body: (LogicalLine) -> Bool) throws {
        var current = LogicalLine(column: 0, tokens: [], line: 1)
        var depth = 0
        var atLineStart = true
        var column = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if atLineStart {
                // Measure indentation of a new physical line.
                if byte == UInt8(ascii: " ") { column += 1; index += 1; continue }
                if byte == UInt8(ascii: "\t") { column = (column / 8 + 1) * 8; index += 1; continue }
                if byte == UInt8(ascii: "\u{0C}") { index += 1; continue }
            }
            switch byte {
            case UInt8(ascii: "\n"):
                index += 1
                line += 1
                if depth == 0 {
                    if !current.tokens.isEmpty {
                        if !body(current) { return }
                        current.tokens.removeAll(keepingCapacity: true)
                        current.spans.removeAll(keepingCapacity: true)
                    }
                    atLineStart = true
                    column = 0
                }
                continue
            case UInt8(ascii: "\r"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\u{0C}"):
                index += 1
                continue
            case UInt8(ascii: "#"):
                let start = index
                while index < count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
                var k = start + 1
                while k < index, bytes[k] == UInt8(ascii: " ") { k += 1 }
                // Most comments are neither: one byte decides.
                if k < index, bytes[k] == UInt8(ascii: "v") || bytes[k] == UInt8(ascii: "T"), let comment = SourceComment(line: line, bytes[k..<index]) {
                    notes.append(comment)
                }
                continue
            case UInt8(ascii: "\\"):
                // Explicit line continuation: the logical line goes on.
                index += 1
                if index < count && bytes[index] == UInt8(ascii: "\r") { index += 1 }
                if index < count && bytes[index] == UInt8(ascii: "\n") { index += 1; line += 1 }
                continue
            default:
                break
            }
            if current.tokens.isEmpty && depth == 0 {
                current.column = atLineStart ? column : current.column
                current.line = line
            }
            atLineStart = false
            let tokenStart = index
            defer { if recordSpans { current.spans.append(tokenStart..<index) } }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                current.tokens.append(.string(try lexString(prefix: [])))
            } else if isNameStart(byte) {
                let start = index
                while index < count && isNameContinue(bytes[index]) { index += 1 }
                // A string prefix (r, b, u, f and combinations) glued to a quote.
                if index < count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'"),
                   index - start <= 2, bytes[start..<index].allSatisfy(isStringPrefix) {
                    let prefix = Array(bytes[start..<index])
                    let text = try lexString(prefix: prefix)
                    current.tokens.append(prefix.contains { $0 | 0x20 == UInt8(ascii: "f") } ? .fstring(text) : .string(text))
                } else {
                    current.tokens.append(.name(String(decoding: bytes[start..<index], as: UTF8.self)))
                }
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                let start = index
                while index < count && (isNameContinue(bytes[index]) || bytes[index] == UInt8(ascii: ".")) { index += 1 }
                current.tokens.append(.number(String(decoding: bytes[start..<index], as: UTF8.self)))
            } else {
                if byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") { depth += 1 }
                if byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") { depth = max(0, depth - 1) }
                current.tokens.append(.op(byte))
                index += 1
            }
        }
        if !current.tokens.isEmpty { _ = body(current) }
    }

    private func isNameStart(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || b == UInt8(ascii: "_") || b >= 0x80
    }

    private func isNameContinue(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }

    private func isStringPrefix(_ b: UInt8) -> Bool {
        switch b | 0x20 {
        case UInt8(ascii: "r"), UInt8(ascii: "b"), UInt8(ascii: "u"), UInt8(ascii: "f"): return true
        default: return false
        }
    }

    /// Lexes a string literal starting at the opening quote and returns its value.
    private mutating func lexString(prefix: [UInt8]) throws -> String {
        let raw = prefix.contains { $0 | 0x20 == UInt8(ascii: "r") }
        let quote = bytes[index]
        let startLine = line
        let count = bytes.count
        let triple = index + 2 < count && bytes[index + 1] == quote && bytes[index + 2] == quote
        index += triple ? 3 : 1
        var value: [UInt8] = []
        var escaped = false
        while index < count {
            // Copy the run up to the next byte that matters in one go.
            let runStart = index
            while index < count {
                let c = bytes[index]
                if c == quote || c == UInt8(ascii: "\\") || c == UInt8(ascii: "\n") { break }
                index += 1
            }
            if index > runStart {
                if index < count, bytes[index] == quote, !escaped, value.isEmpty,
                   !triple || (index + 2 < count && bytes[index + 1] == quote && bytes[index + 2] == quote) {
                    // The common case: no escapes, so the value is the bytes between the quotes.
                    let text = String(decoding: bytes[runStart..<index], as: UTF8.self)
                    index += triple ? 3 : 1
                    return text
                }
                value.append(contentsOf: bytes[runStart..<index])
            }
            guard index < count else { break }
            let b = bytes[index]
            escaped = true
            if b == UInt8(ascii: "\\") && index + 1 < count {
                let next = bytes[index + 1]
                if next == UInt8(ascii: "\n") { line += 1 }
                if raw {
                    value.append(b)
                    value.append(next)
                } else {
                    switch next {
                    case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                    case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
                    case UInt8(ascii: "\n"): break
                    case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): value.append(next)
                    default: value.append(b); value.append(next)
                    }
                }
                index += 2
                continue
            }
            if b == quote {
                if !triple { index += 1; return String(decoding: value, as: UTF8.self) }
                if index + 2 < count && bytes[index + 1] == quote && bytes[index + 2] == quote {
                    index += 3
                    return String(decoding: value, as: UTF8.self)
                }
            }
            if b == UInt8(ascii: "\n") {
                if !triple { throw LexError.unterminatedString(line: startLine) }
                line += 1
            }
            value.append(b)
            index += 1
        }
        throw LexError.unterminatedString(line: startLine)
    }
}

/// A comment that `check` reads: a suppression (`# vejamigrate: ignore[rule-id, ...] reason`) or a
/// `# TODO` the template left.
struct SourceComment: Equatable, Sendable {
    var line: Int
    /// The text after `#` and the spaces that follow it, trailing spaces and `\r` dropped.
    var text: String

    init(line: Int, text: String) {
        self.line = line
        self.text = text
    }

    /// Only comments starting `vejamigrate:` or `TODO`.
    init?(line: Int, _ bytes: ArraySlice<UInt8>) {
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let body = bytes[bytes.startIndex..<end]
        guard body.starts(with: Array("vejamigrate:".utf8)) || body.starts(with: Array("TODO".utf8)) else { return nil }
        self.line = line
        self.text = String(decoding: body, as: UTF8.self)
    }
}
