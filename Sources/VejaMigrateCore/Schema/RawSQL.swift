/// Finds, on a best-effort basis, the tables a piece of raw SQL names: the word after
/// `CREATE TABLE`, `ALTER TABLE`, `DROP TABLE`, `INSERT INTO`, `UPDATE`, `DELETE FROM`,
/// `TRUNCATE`, and `ON` in `CREATE INDEX` / `CREATE TRIGGER` statements.
/// String literals and comments are skipped; one pass over the bytes.
enum RawSQL {
    /// A table named by raw SQL and how.
    struct Mention: Equatable, Sendable {
        var table: String
        var kind: RawSQLKind
    }

    private enum Word: Equatable {
        /// An identifier or keyword; `quoted` when written in double quotes (kept as written).
        case word(String, quoted: Bool)
        case punct(UInt8)
    }

    static func tables(in sql: String) -> [Mention] {
        var mentions: [Mention] = []
        var statement: [Word] = []
        for w in words(sql) {
            if w == .punct(UInt8(ascii: ";")) {
                scan(statement, into: &mentions)
                statement.removeAll(keepingCapacity: true)
            } else {
                statement.append(w)
            }
        }
        scan(statement, into: &mentions)
        return mentions
    }

    private static func upper(_ w: Word?) -> String? {
        if case .word(let s, false)? = w { return s.uppercased() }
        return nil
    }

    /// The table name starting at `k` (`schema.name`, `"Name"`), and the index after it.
    private static func name(_ ws: [Word], _ k: Int) -> (String, Int)? {
        var k = k
        guard k < ws.count, case .word(var s, let quoted) = ws[k] else { return nil }
        var q = quoted
        k += 1
        while k + 1 < ws.count, ws[k] == .punct(UInt8(ascii: ".")), case .word(let next, let nq) = ws[k + 1] {
            s = next
            q = nq
            k += 2
        }
        let name = q ? s : s.lowercased()
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || (first | 0x20 >= 97 && first | 0x20 <= 122) || first >= 0x80 else {
            return nil
        }
        return (name, k)
    }

    private static func skipWords(_ ws: [Word], _ k: Int, _ optional: [String]) -> Int {
        var k = k
        while let u = upper(k < ws.count ? ws[k] : nil), optional.contains(u) { k += 1 }
        return k
    }

    private static let modifiers: Set<String> = ["OR", "REPLACE", "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "FOREIGN"]

    private static func scan(_ ws: [Word], into out: inout [Mention]) {
        guard !ws.isEmpty else { return }
        var sawIndexOrTrigger = false
        var k = 0
        while k < ws.count {
            guard let u = upper(ws[k]) else { k += 1; continue }
            let prev = k > 0 ? upper(ws[k - 1]) : nil
            switch u {
            case "TABLE":
                // CREATE [OR REPLACE] [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE: look back a few words only.
                var back = k - 1
                while back >= 0, k - back <= 6, let w = upper(ws[back]), modifiers.contains(w) { back -= 1 }
                guard back >= 0, let verb = upper(ws[back]), ["CREATE", "ALTER", "DROP", "TRUNCATE"].contains(verb) else {
                    k += 1
                    continue
                }
                var j = skipWords(ws, k + 1, ["IF", "NOT", "EXISTS", "ONLY"])
                let kind: RawSQLKind = verb == "CREATE" ? .createTable : verb == "ALTER" ? .alterTable : verb == "DROP" ? .dropTable : .data
                while let (n, next) = name(ws, j) {
                    out.append(Mention(table: n, kind: kind))
                    j = next
                    // DROP TABLE a, b / TRUNCATE a, b
                    guard kind == .dropTable || kind == .data, j < ws.count, ws[j] == .punct(UInt8(ascii: ",")) else { break }
                    j += 1
                }
                if kind == .alterTable {
                    // ALTER TABLE a RENAME TO b: b exists afterwards.
                    var r = j
                    if r < ws.count, ws[r] == .punct(UInt8(ascii: "*")) { r += 1 }
                    if upper(r < ws.count ? ws[r] : nil) == "RENAME", upper(r + 1 < ws.count ? ws[r + 1] : nil) == "TO", let (n, _) = name(ws, r + 2) {
                        out.append(Mention(table: n, kind: .createTable))
                    }
                }
                k = j
                continue
            case "INTO" where prev == "INSERT":
                if let (n, next) = name(ws, k + 1) { out.append(Mention(table: n, kind: .data)); k = next; continue }
            case "FROM" where prev == "DELETE":
                if let (n, next) = name(ws, skipWords(ws, k + 1, ["ONLY"])) { out.append(Mention(table: n, kind: .data)); k = next; continue }
            case "UPDATE" where !["ON", "FOR", "DO", "KEY", "NO"].contains(prev ?? ""):
                if let (n, next) = name(ws, skipWords(ws, k + 1, ["ONLY"])), !["SET", "OF", "CASCADE", "RESTRICT"].contains(n.uppercased()) {
                    out.append(Mention(table: n, kind: .data))
                    k = next
                    continue
                }
            case "TRUNCATE":
                var j = skipWords(ws, k + 1, ["TABLE", "ONLY"])
                while let (n, next) = name(ws, j) {
                    out.append(Mention(table: n, kind: .data))
                    j = next
                    guard j < ws.count, ws[j] == .punct(UInt8(ascii: ",")) else { break }
                    j += 1
                }
                k = j
                continue
            case "INDEX", "TRIGGER", "RULE", "POLICY":
                sawIndexOrTrigger = true
            case "ON" where sawIndexOrTrigger:
                if let (n, next) = name(ws, skipWords(ws, k + 1, ["ONLY", "TABLE"])) { out.append(Mention(table: n, kind: .index)); k = next; continue }
            default:
                break
            }
            k += 1
        }
    }

    /// Splits SQL into words and punctuation, skipping string literals, comments and dollar-quoted bodies' quotes.
    private static func words(_ sql: String) -> [Word] {
        let b = Array(sql.utf8)
        var out: [Word] = []
        var i = 0
        let n = b.count
        func isWordByte(_ c: UInt8) -> Bool {
            (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 122) || c == UInt8(ascii: "_") || c == UInt8(ascii: "$") || c >= 0x80
        }
        while i < n {
            let c = b[i]
            if c == UInt8(ascii: "'") {
                // 'it''s' : a doubled quote stays inside.
                i += 1
                while i < n {
                    if b[i] == UInt8(ascii: "'") {
                        if i + 1 < n, b[i + 1] == UInt8(ascii: "'") { i += 2; continue }
                        break
                    }
                    i += 1
                }
                i += 1
                out.append(.punct(UInt8(ascii: "'")))
            } else if c == UInt8(ascii: "\"") {
                var j = i + 1
                while j < n, b[j] != UInt8(ascii: "\"") { j += 1 }
                out.append(.word(String(decoding: b[min(i + 1, n)..<min(j, n)], as: UTF8.self), quoted: true))
                i = j + 1
            } else if c == UInt8(ascii: "-"), i + 1 < n, b[i + 1] == UInt8(ascii: "-") {
                while i < n, b[i] != UInt8(ascii: "\n") { i += 1 }
            } else if c == UInt8(ascii: "/"), i + 1 < n, b[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i + 1 < n, !(b[i] == UInt8(ascii: "*") && b[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i += 2
            } else if isWordByte(c) {
                let start = i
                while i < n, isWordByte(b[i]) { i += 1 }
                out.append(.word(String(decoding: b[start..<i], as: UTF8.self), quoted: false))
            } else if c == UInt8(ascii: " ") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                i += 1
            } else {
                out.append(.punct(c))
                i += 1
            }
        }
        return out
    }
}

/// How raw SQL touched a table.
public enum RawSQLKind: String, Sendable, Codable, Equatable {
    case createTable = "CREATE TABLE"
    case alterTable = "ALTER TABLE"
    case dropTable = "DROP TABLE"
    /// INSERT, UPDATE, DELETE, TRUNCATE: rows, not structure.
    case data = "DATA"
    /// `CREATE INDEX ... ON t`, triggers, rules, policies.
    case index = "INDEX"
    /// A call vejamigrate cannot read (a helper, a loop) that names the table.
    case unreadable = "UNREADABLE"

    /// Whether this can add, drop or change columns.
    public var mayChangeColumns: Bool {
        switch self {
        case .createTable, .alterTable, .dropTable, .unreadable: return true
        case .data, .index: return false
        }
    }
}
