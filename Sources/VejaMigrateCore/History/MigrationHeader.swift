/// What a migration file declares about itself, read statically from its top level.
public struct MigrationHeader: Equatable, Sendable {
    /// The module-level `revision` assignment.
    public var revision: String?
    /// The module-level `down_revision`: empty for `None`, several for a merge.
    public var downRevisions: [String] = []
    /// Whether `down_revision` was assigned at all.
    public var declaresDownRevision = false
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
        if !isValidUTF8(bytes) { throw .notUTF8 }
        // Python skips a UTF-8 byte order mark; so must we, or it glues onto the first token.
        let bytes = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        var header = MigrationHeader()
        var lexer = PythonHeaderLexer(bytes: bytes)
        var firstStatement = true
        var failure: HeaderReadError?
        do {
            try lexer.forEachLogicalLine { logical in
                defer { firstStatement = false }
                guard logical.column == 0 else { return true }
                let tokens = logical.tokens
                if firstStatement, tokens.allSatisfy({ if case .string = $0 { return true } else { return false } }) {
                    let text = tokens.map { if case .string(let s) = $0 { return s } else { return "" } }.joined()
                    parseDocstring(text, into: &header)
                    return true
                }
                guard case .name(let name) = tokens.first else { return true }
                if name == "def" || name == "class" {
                    // Function bodies follow; stop once the header is complete.
                    return !(header.revision != nil && header.declaresDownRevision)
                }
                guard name == "revision" || name == "down_revision" else { return true }
                guard let value = assignedValue(tokens) else { return true }
                guard let strings = stringsOrNone(value) else {
                    failure = .unsupportedValue(name: name, line: logical.line)
                    return false
                }
                if name == "revision" {
                    guard strings.count == 1 else {
                        failure = .unsupportedValue(name: name, line: logical.line)
                        return false
                    }
                    header.revision = strings[0]
                } else {
                    header.downRevisions = strings
                    header.declaresDownRevision = true
                }
                return true
            }
        } catch PythonHeaderLexer.LexError.unterminatedString(let line) {
            throw .unterminatedString(line: line)
        } catch {
            throw .noRevision
        }
        if let failure { throw failure }
        if header.revision == nil { throw .noRevision }
        return header
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
    if !bytes.contains(where: { $0 >= 0x80 }) { return true }
    return String(validating: bytes, as: UTF8.self) != nil
}
