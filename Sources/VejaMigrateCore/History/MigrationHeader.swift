/// What a migration file declares about itself, read statically from its top level.
public struct MigrationHeader: Equatable, Sendable {
    /// The module-level `revision` assignment.
    public var revision: String?
    /// The module-level `down_revision`: empty for `None`, several for a merge.
    public var downRevisions: [String] = []
    /// Whether `down_revision` was assigned at all.
    public var declaresDownRevision = false
    /// The module-level `depends_on`, when it is None, a string or strings (else empty: it is
    /// not needed to read the history, so a form it does not know is no error).
    public var dependsOn: [String] = []
    /// The first line of the module docstring.
    public var docDescription: String?
    /// The docstring's `Revision ID:` line.
    public var docRevisionID: String?
    /// The docstring's `Revises:` line, split on commas.
    public var docRevises: [String]?
    /// The docstring's `Create Date:` line, as written (with or without a time).
    public var docCreateDate: String?

    public init() {}
}

/// Where the fields of a migration's header stand in its bytes: the byte ranges that
/// `vejamigrate rebase` replaces, so everything around them stays as written.
public struct MigrationHeaderSpans: Equatable, Sendable {
    /// The value of the module-level `revision` assignment (the literal, quotes included).
    public var revision: Range<Int>?
    /// The value of `down_revision` (`None`, a literal, or the whole tuple or list).
    public var downRevision: Range<Int>?
    /// The text after `Revision ID:` on its docstring line, blanks around it left out; an empty
    /// range just after the colon when the line has no value.
    public var docRevisionID: Range<Int>?
    /// The text after `Revises:`, the same way.
    public var docRevises: Range<Int>?
    /// The text after `Create Date:`, the same way.
    public var docCreateDate: Range<Int>?

    public init() {}

    mutating func shift(by offset: Int) {
        func moved(_ r: Range<Int>?) -> Range<Int>? { r.map { ($0.lowerBound + offset)..<($0.upperBound + offset) } }
        revision = moved(revision)
        downRevision = moved(downRevision)
        docRevisionID = moved(docRevisionID)
        docRevises = moved(docRevises)
        docCreateDate = moved(docCreateDate)
    }

    /// Finds the docstring's fields in its literals as written, with the rules of
    /// `parseDocstring`: the first non-blank line is the description, then the first line of each field.
    mutating func readDocstring(_ bytes: [UInt8], literals: [Range<Int>]) {
        var sawDescription = false
        for literal in literals {
            // The text between the quotes: skip the prefix letters and one or three quotes.
            var start = literal.lowerBound
            while start < literal.upperBound, bytes[start] != UInt8(ascii: "\""), bytes[start] != UInt8(ascii: "'") { start += 1 }
            guard start < literal.upperBound else { continue }
            let quote = bytes[start]
            let triple = start + 2 < literal.upperBound && bytes[start + 1] == quote && bytes[start + 2] == quote
            let open = triple ? 3 : 1
            let contentStart = start + open
            let contentEnd = literal.upperBound - open
            guard contentStart <= contentEnd else { continue }
            var lineStart = contentStart
            while lineStart <= contentEnd {
                var lineEnd = lineStart
                while lineEnd < contentEnd, !(0x0A...0x0D).contains(bytes[lineEnd]) { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                var lo = lineStart
                var hi = lineEnd
                while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
                while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
                if lo == hi { continue }
                if !sawDescription {
                    sawDescription = true
                    continue
                }
                func value(after prefix: String) -> Range<Int>? {
                    let p = Array(prefix.utf8)
                    guard hi - lo >= p.count, Array(bytes[lo..<(lo + p.count)]) == p else { return nil }
                    var v = lo + p.count
                    while v < hi, bytes[v] == 0x20 || bytes[v] == 0x09 { v += 1 }
                    return v..<hi
                }
                if let r = value(after: "Revision ID:") {
                    if docRevisionID == nil { docRevisionID = r }
                } else if let r = value(after: "Revises:") {
                    if docRevises == nil { docRevises = r }
                } else if let r = value(after: "Create Date:") {
                    if docCreateDate == nil { docCreateDate = r }
                }
            }
        }
    }
}

/// Why a migration file's header could not be read.
public enum HeaderReadError: Error, Equatable, Sendable {
    case cannotOpen
    case notUTF8
    case unterminatedString(line: Int)
    case noRevision
    case unsupportedValue(name: String, line: Int)

    public var message: String {
        switch self {
        case .cannotOpen: return "the file cannot be opened for reading"
        case .notUTF8: return "the file is not valid UTF-8 text"
        case .unterminatedString(let line): return "a string that starts on line \(line) never ends"
        case .noRevision: return "it has no module-level `revision = \"...\"` assignment"
        case .unsupportedValue(let name, let line):
            return "line \(line): `\(name)` is not a string, None, or a tuple/list of strings"
        }
    }
}

/// Reads the header of a migration: the docstring and the module-level
/// `revision` / `down_revision` assignments, in every form real projects use
/// (`x = "..."`, `x: str = '...'`, `x: Union[str, Sequence[str], None] = (...)`).
/// Only statements at column 0 count, so look-alikes inside function bodies or
/// strings never fool it.
public enum MigrationHeaderReader {
    public static func read(bytes: [UInt8]) throws(HeaderReadError) -> MigrationHeader {
        try read(bytes: bytes, everyLine: nil).header
    }

    /// The header, lexing the file only once: with `everyLine`, every logical line of the whole
    /// file is handed on as well (the schema reader reads `upgrade()` from them). A string that
    /// never ends after the header is complete does not make the header unreadable (the
    /// header-only read never gets that far); its line is returned as `bodyError`.
    static func read(
        bytes: [UInt8], everyLine: ((PythonHeaderLexer.LogicalLine) -> Void)?
    ) throws(HeaderReadError) -> (header: MigrationHeader, bodyError: Int?, comments: [SourceComment]) {
        let read = try readHeader(bytes: bytes, everyLine: everyLine, recordSpans: false)
        return (read.header, read.bodyError, read.comments)
    }

    /// The header and where its fields stand in `bytes`, so they can be rewritten in place
    /// with everything else kept byte for byte (`vejamigrate rebase`).
    ///
    /// ```swift
    /// let (header, spans) = try MigrationHeaderReader.readWithSpans(bytes: bytes)
    /// bytes[spans.revision!]   // the literal "20260211_000017", quotes included
    /// ```
    public static func readWithSpans(bytes: [UInt8]) throws(HeaderReadError) -> (header: MigrationHeader, spans: MigrationHeaderSpans) {
        let read = try readHeader(bytes: bytes, everyLine: nil, recordSpans: true)
        return (read.header, read.spans)
    }

    private static func readHeader(
        bytes original: [UInt8], everyLine: ((PythonHeaderLexer.LogicalLine) -> Void)?, recordSpans: Bool
    ) throws(HeaderReadError) -> (header: MigrationHeader, bodyError: Int?, spans: MigrationHeaderSpans, comments: [SourceComment]) {
        if !isValidUTF8(original) { throw .notUTF8 }
        // Python skips a UTF-8 byte order mark; so must we, or it glues onto the first token.
        let bom = original.starts(with: [0xEF, 0xBB, 0xBF])
        let bytes = bom ? Array(original.dropFirst(3)) : original
        var header = MigrationHeader()
        var spans = MigrationHeaderSpans()
        var lexer = PythonHeaderLexer(bytes: bytes, recordSpans: recordSpans)
        var firstStatement = true
        var failure: HeaderReadError?
        var headerDone = false
        /// One logical line for the header; false once the header needs no more.
        func step(_ logical: PythonHeaderLexer.LogicalLine) -> Bool {
            defer { firstStatement = false }
            guard logical.column == 0 else { return true }
            let tokens = logical.tokens
            if firstStatement, tokens.allSatisfy({ if case .string = $0 { return true } else { return false } }) {
                let text = tokens.map { if case .string(let s) = $0 { return s } else { return "" } }.joined()
                parseDocstring(text, into: &header)
                if recordSpans { spans.readDocstring(bytes, literals: logical.spans) }
                return true
            }
            guard case .name(let name) = tokens.first else { return true }
            if name == "def" || name == "class" {
                // Function bodies follow; stop once the header is complete.
                return !(header.revision != nil && header.declaresDownRevision)
            }
            guard name == "revision" || name == "down_revision" || name == "depends_on" else { return true }
            guard let value = assignedValue(tokens) else { return true }
            // `revision =` and nothing after it (found by `make fuzz`: the spans read indexed past the end).
            guard !value.isEmpty else {
                failure = .unsupportedValue(name: name, line: logical.line)
                return false
            }
            if name == "depends_on" {
                header.dependsOn = stringsOrNone(value) ?? []
                return true
            }
            guard let strings = stringsOrNone(value) else {
                failure = .unsupportedValue(name: name, line: logical.line)
                return false
            }
            let valueSpan = recordSpans ? logical.spans[value.startIndex].lowerBound..<logical.spans[value.endIndex - 1].upperBound : nil
            if name == "revision" {
                guard strings.count == 1 else {
                    failure = .unsupportedValue(name: name, line: logical.line)
                    return false
                }
                header.revision = strings[0]
                spans.revision = valueSpan
            } else {
                header.downRevisions = strings
                header.declaresDownRevision = true
                spans.downRevision = valueSpan
            }
            return true
        }
        var bodyError: Int?
        do {
            try lexer.forEachLogicalLine { logical in
                guard let everyLine else { return step(logical) }
                everyLine(logical)
                if !headerDone { headerDone = !step(logical) }
                return failure == nil
            }
        } catch PythonHeaderLexer.LexError.unterminatedString(let line) {
            if !headerDone || failure != nil || header.revision == nil { throw .unterminatedString(line: line) }
            bodyError = line
        } catch {
            throw .noRevision
        }
        if bodyError == nil {
            if let failure { throw failure }
            if header.revision == nil { throw .noRevision }
        }
        if bom { spans.shift(by: 3) }
        return (header, bodyError, spans, lexer.notes)
    }

    /// The tokens after the top-level `=` of `name [: annotation] = value`, or nil if not an assignment.
    private static func assignedValue(_ tokens: [PythonHeaderLexer.Token]) -> ArraySlice<PythonHeaderLexer.Token>? {
        guard tokens.count >= 3 else { return nil }
        var depth = 0
        var i = 1
        if tokens[1] != .op(UInt8(ascii: "=")) && tokens[1] != .op(UInt8(ascii: ":")) { return nil }
        while i < tokens.count {
            switch tokens[i] {
            case .op(UInt8(ascii: "(")), .op(UInt8(ascii: "[")), .op(UInt8(ascii: "{")): depth += 1
            case .op(UInt8(ascii: ")")), .op(UInt8(ascii: "]")), .op(UInt8(ascii: "}")): depth -= 1
            case .op(UInt8(ascii: "=")) where depth == 0:
                // `==`, `<=` and friends are two op tokens; a lone `=` is assignment.
                if i + 1 < tokens.count, tokens[i + 1] == .op(UInt8(ascii: "=")) { return nil }
                return tokens[(i + 1)...]
            default: break
            }
            i += 1
        }
        return nil
    }

    /// `None`, a string (adjacent literals joined), or a tuple/list of strings.
    private static func stringsOrNone(_ value: ArraySlice<PythonHeaderLexer.Token>) -> [String]? {
        var tokens = Array(value)
        if tokens == [.name("None")] { return [] }
        if let first = tokens.first, let last = tokens.last,
           (first == .op(UInt8(ascii: "(")) && last == .op(UInt8(ascii: ")")))
            || (first == .op(UInt8(ascii: "[")) && last == .op(UInt8(ascii: "]"))) {
            tokens = Array(tokens.dropFirst().dropLast())
        }
        var result: [String] = []
        var pending: String?
        for token in tokens {
            switch token {
            case .string(let s): pending = (pending ?? "") + s
            case .op(UInt8(ascii: ",")):
                guard let p = pending else { return nil }
                result.append(p)
                pending = nil
            default: return nil
            }
        }
        if let p = pending { result.append(p) }
        return result.isEmpty && !tokens.isEmpty ? nil : result
    }

    private static func parseDocstring(_ text: String, into header: inout MigrationHeader) {
        // Nearly every docstring is ASCII: there a Character is a byte (CRLF aside, and a newline
        // either way), so the same rules run on bytes without grapheme breaking.
        var text = text
        if text.withUTF8({ bytes in
            guard isASCII(bytes) else { return false }
            parseASCIIDocstring(bytes, into: &header)
            return true
        }) { return }
        var sawDescription = false
        // Split on every newline: in a CRLF file "\r\n" is one Character, never equal to "\n".
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmed(" \t\r")
            if line.isEmpty { continue }
            if !sawDescription {
                sawDescription = true
                header.docDescription = line
                continue
            }
            // The first of each field counts: later look-alikes belong to the extended description.
            if let rest = line.dropPrefix("Revision ID:") {
                if header.docRevisionID == nil { header.docRevisionID = rest.trimmed(" \t") }
            } else if let rest = line.dropPrefix("Revises:") {
                if header.docRevises == nil { header.docRevises = rest.split(separator: ",").map { $0.trimmed(" \t") }.filter { !$0.isEmpty } }
            } else if let rest = line.dropPrefix("Create Date:") {
                if header.docCreateDate == nil { header.docCreateDate = rest.trimmed(" \t") }
            }
        }
    }

    /// `parseDocstring` for ASCII text, byte for byte the same result.
    private static func parseASCIIDocstring(_ text: UnsafeBufferPointer<UInt8>, into header: inout MigrationHeader) {
        var sawDescription = false
        var start = 0
        let count = text.count
        while start <= count {
            // Lines end at \n, \v, \f and \r: the ASCII characters whose `isNewline` is true.
            var end = start
            while end < count, !(0x0A...0x0D).contains(text[end]) { end += 1 }
            defer { start = end + 1 }
            let line = trimASCII(UnsafeBufferPointer(rebasing: text[start..<end]), spaceTabCR: true)
            if line.isEmpty { continue }
            if !sawDescription {
                sawDescription = true
                header.docDescription = String(decoding: line, as: UTF8.self)
                continue
            }
            if let rest = dropASCIIPrefix(line, "Revision ID:") {
                if header.docRevisionID == nil { header.docRevisionID = String(decoding: trimASCII(rest), as: UTF8.self) }
            } else if let rest = dropASCIIPrefix(line, "Revises:") {
                if header.docRevises == nil {
                    var revises: [String] = []
                    var from = 0
                    while from <= rest.count {
                        var to = from
                        while to < rest.count, rest[to] != UInt8(ascii: ",") { to += 1 }
                        let item = trimASCII(UnsafeBufferPointer(rebasing: rest[from..<to]))
                        if !item.isEmpty { revises.append(String(decoding: item, as: UTF8.self)) }
                        from = to + 1
                    }
                    header.docRevises = revises
                }
            } else if let rest = dropASCIIPrefix(line, "Create Date:") {
                if header.docCreateDate == nil { header.docCreateDate = String(decoding: trimASCII(rest), as: UTF8.self) }
            }
        }
    }

    /// Drops leading and trailing spaces and tabs (and carriage returns when asked).
    private static func trimASCII(_ s: UnsafeBufferPointer<UInt8>, spaceTabCR: Bool = false) -> UnsafeBufferPointer<UInt8> {
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || (spaceTabCR && b == 0x0D) }
        var lo = 0
        var hi = s.count
        while lo < hi, blank(s[lo]) { lo += 1 }
        while hi > lo, blank(s[hi - 1]) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: s[lo..<hi])
    }

    private static func dropASCIIPrefix(_ s: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> UnsafeBufferPointer<UInt8>? {
        let n = prefix.utf8CodeUnitCount
        guard s.count >= n else { return nil }
        let p = prefix.utf8Start
        for i in 0..<n where s[i] != p[i] { return nil }
        return UnsafeBufferPointer(rebasing: s[n...])
    }
}

extension StringProtocol {
    func trimmed(_ set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }

    func dropPrefix(_ prefix: String) -> Substring? {
        hasPrefix(prefix) ? Substring(self).dropFirst(prefix.count) : nil
    }
}

/// Whether `bytes` are well-formed UTF-8.
func isValidUTF8(_ bytes: [UInt8]) -> Bool {
    // ASCII fast path: most migrations are pure ASCII.
    if bytes.withUnsafeBufferPointer(isASCII) { return true }
    return String(validating: bytes, as: UTF8.self) != nil
}

/// Whether every byte is below 0x80, eight bytes at a time.
func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let count = bytes.count
    var i = 0
    var high: UInt64 = 0
    while i + 8 <= count {
        high |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
        i += 8
    }
    while i < count {
        high |= UInt64(base[i])
        i += 1
    }
    return high & 0x8080_8080_8080_8080 == 0
}
