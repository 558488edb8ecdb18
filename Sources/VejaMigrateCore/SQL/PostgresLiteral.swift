/// What PostgreSQL's input functions read, for the literal defaults of `datetime`,
/// `date` and `uuid` columns, and the strings that look like SQL but would be stored as text.
public enum PostgresLiteral {
    /// Special values that are fixed points in time: safe as defaults.
    static let fixedSpecials: Set<String> = ["epoch", "infinity", "-infinity"]
    /// Special values read once, when the default is stored: a default of `'now'` is the migration's own time, forever.
    static let relativeSpecials: Set<String> = ["now", "today", "tomorrow", "yesterday"]
    /// SQL words that are values only as expressions; quoted, they are text.
    static let sqlValueKeywords: Set<String> = [
        "current_timestamp", "current_date", "current_time", "localtimestamp", "localtime", "current_user",
        "session_user", "current_role", "null", "default",
    ]

    /// Whether `s` is written like an SQL expression (`now()`, `gen_random_uuid()`, `CURRENT_TIMESTAMP`),
    /// so that, as a string default, it would be frozen into text instead of evaluated.
    public static func looksLikeExpression(_ s: String) -> Bool {
        let t = s.trimmed(" ")
        if sqlValueKeywords.contains(t.lowercased()) { return true }
        guard t.hasSuffix(")"), let open = t.firstIndex(of: "(") else { return false }
        let name = t[..<open].trimmed(" ")
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0 == "." || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// Whether `s` is a relative special value (`now`, `today`...), frozen when the default is stored.
    public static func isRelativeSpecial(_ s: String) -> Bool { relativeSpecials.contains(s.trimmed(" ").lowercased()) }

    /// Whether PostgreSQL reads `s` as a `timestamp with time zone`: ISO 8601 `YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][ ][zone]`
    /// (zone `Z`, `UTC`, `+HH`, `+HHMM`, `+HH:MM`), or `epoch`, `infinity`, `-infinity`.
    /// Stricter than the server (which also reads `Jan 8 1999` and the like): these are the forms it documents as unambiguous.
    public static func isTimestamp(_ s: String) -> Bool {
        let t = s.trimmed(" ")
        if fixedSpecials.contains(t.lowercased()) { return true }
        var scanner = DigitScanner(Array(t.utf8))
        guard scanner.date() else { return false }
        if scanner.atEnd { return true }
        guard scanner.take(UInt8(ascii: "T")) || scanner.take(UInt8(ascii: " ")) || scanner.take(UInt8(ascii: "t")) else { return false }
        guard let hour = scanner.number(2), hour <= 23, scanner.take(UInt8(ascii: ":")), let minute = scanner.number(2), minute <= 59 else { return false }
        if scanner.take(UInt8(ascii: ":")) {
            guard let second = scanner.number(2), second <= 59 else { return false }
            if scanner.take(UInt8(ascii: ".")) {
                guard scanner.digits(1...6) else { return false }
            }
        }
        if scanner.atEnd { return true }
        _ = scanner.take(UInt8(ascii: " "))
        return scanner.zone() && scanner.atEnd
    }

    /// Whether PostgreSQL reads `s` as a `date`: `YYYY-MM-DD`, or `epoch`, `infinity`, `-infinity`.
    public static func isDate(_ s: String) -> Bool {
        let t = s.trimmed(" ")
        if fixedSpecials.contains(t.lowercased()) { return true }
        var scanner = DigitScanner(Array(t.utf8))
        return scanner.date() && scanner.atEnd
    }

    /// Whether PostgreSQL reads `s` as a `uuid`: 32 hex digits, hyphens after groups of four
    /// allowed, optionally in braces (`a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11`).
    public static func isUUID(_ s: String) -> Bool {
        // No trimming: PostgreSQL's uuid input does not skip spaces.
        var u = Array(s.utf8)
        if u.first == UInt8(ascii: "{") {
            guard u.last == UInt8(ascii: "}") else { return false }
            u = Array(u.dropFirst().dropLast())
        }
        var hex = 0
        var previousHyphen = true
        for (i, c) in u.enumerated() {
            if c == UInt8(ascii: "-") {
                // The server allows a hyphen after any group of four digits, never two in a row, never at the ends.
                guard !previousHyphen, hex % 4 == 0, i != u.count - 1 else { return false }
                previousHyphen = true
                continue
            }
            guard (48...57).contains(c) || (97...102).contains(c | 0x20) else { return false }
            hex += 1
            previousHyphen = false
        }
        return hex == 32
    }

    private struct DigitScanner {
        let bytes: [UInt8]
        var i = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { i == bytes.count }

        mutating func take(_ c: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }

        mutating func number(_ count: Int) -> Int? {
            guard i + count <= bytes.count else { return nil }
            var n = 0
            for k in i..<(i + count) {
                guard (48...57).contains(bytes[k]) else { return nil }
                n = n * 10 + Int(bytes[k] - 48)
            }
            i += count
            return n
        }

        mutating func digits(_ range: ClosedRange<Int>) -> Bool {
            var n = 0
            while i < bytes.count, (48...57).contains(bytes[i]) { i += 1; n += 1 }
            return range.contains(n)
        }

        /// `YYYY-MM-DD` with a real day of its month.
        mutating func date() -> Bool {
            guard let y = number(4), y >= 1, take(UInt8(ascii: "-")), let m = number(2), (1...12).contains(m),
                  take(UInt8(ascii: "-")), let d = number(2), d >= 1 else { return false }
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
            return d <= days
        }

        mutating func zone() -> Bool {
            if take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) { return true }
            if i + 3 <= bytes.count, String(decoding: bytes[i..<(i + 3)], as: UTF8.self).uppercased() == "UTC" { i += 3; return true }
            guard take(UInt8(ascii: "+")) || take(UInt8(ascii: "-")) else { return false }
            guard let h = number(2), h <= 15 else { return false }
            if atEnd { return true }
            _ = take(UInt8(ascii: ":"))
            guard let m = number(2), m <= 59 else { return false }
            return true
        }
    }
}
