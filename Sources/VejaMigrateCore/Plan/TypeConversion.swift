/// What PostgreSQL does when `ALTER COLUMN .. TYPE` changes a column from one type to another:
/// whether it converts the values by itself (an implicit or assignment cast in `pg_cast`, or the
/// conversion to a string type every type has) or needs `USING`, and whether it rewrites the table.
///
/// The rules are PostgreSQL's (`pg_cast`; ALTER TABLE: "a table rewrite is not needed when the old
/// type is binary coercible to the new type"), for the types a spec can name; the integration suite
/// checks every pair of them against a real server. Types it does not know (an enum type, a domain)
/// are never refused, and count as rewriting.
enum TypeConversion {
    /// A PostgreSQL type reduced to what the rules need.
    struct PGType: Equatable, Sendable {
        enum Kind: Equatable, Sendable {
            case varchar, text, char, int2, int4, int8, numeric, float4, float8, bool, date, timestamp, timestamptz, uuid, jsonb, json
            case other
        }

        var kind: Kind
        /// `varchar(n)`, `char(n)`: the length; `numeric(p, s)`: precision and scale.
        var modifiers: [Int] = []

        /// A DDL type as a step carries it (`VARCHAR(32)`, `NUMERIC(12, 2)`, `TIMESTAMP WITH TIME ZONE`).
        init(ddl: String) {
            let upper = ddl.uppercased()
            let base = upper.split(separator: "(", maxSplits: 1).first.map { String($0).trimmed(" ") } ?? upper
            if let open = upper.firstIndex(of: "("), let close = upper.lastIndex(of: ")"), open < close {
                modifiers = upper[upper.index(after: open)..<close].split(separator: ",").compactMap { Int(String($0).trimmed(" ")) }
            }
            switch base {
            case "VARCHAR", "CHARACTER VARYING": kind = .varchar
            case "TEXT": kind = .text
            case "CHAR", "CHARACTER", "BPCHAR": kind = .char
            case "SMALLINT", "INT2", "SMALLSERIAL": kind = .int2
            case "INTEGER", "INT", "INT4", "SERIAL": kind = .int4
            case "BIGINT", "INT8", "BIGSERIAL": kind = .int8
            case "NUMERIC", "DECIMAL": kind = .numeric
            case "REAL", "FLOAT4": kind = .float4
            case "FLOAT", "DOUBLE PRECISION", "FLOAT8": kind = .float8
            case "BOOLEAN", "BOOL": kind = .bool
            case "DATE": kind = .date
            case "TIMESTAMP", "TIMESTAMP WITHOUT TIME ZONE", "DATETIME": kind = .timestamp
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ": kind = .timestamptz
            case "UUID": kind = .uuid
            case "JSONB": kind = .jsonb
            case "JSON": kind = .json
            default: kind = .other
            }
        }

        var isString: Bool { [.varchar, .text, .char].contains(kind) }
        var isNumber: Bool { [.int2, .int4, .int8, .numeric, .float4, .float8].contains(kind) }
        var isTime: Bool { [.date, .timestamp, .timestamptz].contains(kind) }
    }

    /// Whether PostgreSQL refuses the change without `USING` ("column cannot be cast automatically").
    static func needsUsing(from: String, to: String) -> Bool {
        let a = PGType(ddl: from), b = PGType(ddl: to)
        if a.kind == .other || b.kind == .other || a.kind == b.kind { return false }
        // Every type converts to a string type by assignment (its output function); from one, only explicitly.
        if b.isString { return false }
        if a.isString { return true }
        if a.isNumber && b.isNumber { return false }
        // date → timestamp(tz) is implicit, the way back an assignment; json and jsonb convert both ways.
        if a.isTime && b.isTime { return false }
        if [a.kind, b.kind].allSatisfy({ $0 == .json || $0 == .jsonb }) { return false }
        return true
    }

    /// An explicit cast of `column` from one type to the other: direct where PostgreSQL has one
    /// (from a string type, boolean and integer, jsonb to a number or boolean), through `INTEGER`
    /// between boolean and the other integer types, else through `TEXT` (which holds when the
    /// values' text reads as the new type).
    static func cast(_ column: String, from: String, to: String) -> String {
        let a = PGType(ddl: from), b = PGType(ddl: to)
        let direct = !needsUsing(from: from, to: to) || a.isString || a.kind == .other || b.kind == .other
            || (a.kind == .bool && b.kind == .int4) || (a.kind == .int4 && b.kind == .bool) || (a.kind == .jsonb && (b.isNumber || b.kind == .bool))
        if direct { return "CAST(\(column) AS \(to))" }
        if (a.kind == .bool && b.isNumber) || (a.isNumber && b.kind == .bool) { return "CAST(CAST(\(column) AS INTEGER) AS \(to))" }
        return "CAST(CAST(\(column) AS TEXT) AS \(to))"
    }

    /// Whether PostgreSQL rewrites the table (and rebuilds its indexes): every change but the
    /// binary-coercible ones, which change only the catalogue: a `varchar` widened or made
    /// unbounded or `text`, `text` to an unbounded `varchar`, a `numeric` given more precision with
    /// the same scale or made unconstrained. A `USING` always counts as a rewrite.
    static func rewrites(from: String, to: String, using: String?) -> Bool {
        if using != nil { return true }
        let a = PGType(ddl: from), b = PGType(ddl: to)
        if a.kind == .other || b.kind == .other { return true }
        switch (a.kind, b.kind) {
        case (.varchar, .varchar):
            guard let n = a.modifiers.first else { return b.modifiers.first != nil }
            return b.modifiers.first.map { $0 < n } ?? false
        case (.varchar, .text): return false
        case (.text, .varchar): return !b.modifiers.isEmpty
        case (.numeric, .numeric):
            guard let p2 = b.modifiers.first else { return false }
            guard let p1 = a.modifiers.first else { return true }
            let s1 = a.modifiers.count > 1 ? a.modifiers[1] : 0, s2 = b.modifiers.count > 1 ? b.modifiers[1] : 0
            return !(p2 >= p1 && s2 == s1)
        default:
            return a != b
        }
    }
}
