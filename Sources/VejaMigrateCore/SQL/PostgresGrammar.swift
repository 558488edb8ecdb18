import CPgQuery
import Foundation

/// The PostgreSQL 15 grammar, through Debian's libpg_query: what it accepts is what
/// the server's parser accepts.
///
/// ```swift
/// let tree = try PostgresGrammar.parse("ALTER TABLE projects ADD COLUMN note text")
/// ```
public enum PostgresGrammar {
    /// SQL the grammar refuses: the parser's message and the 1-based character where it stopped (0 when unknown).
    public struct SyntaxError: Error, Equatable, Sendable {
        public var message: String
        public var position: Int
    }

    /// The raw parse tree of `sql` (libpg_query's JSON: `{"version":..., "stmts":[{"stmt":{NodeName:{...}}}]}`).
    public static func parse(_ sql: String) throws(SyntaxError) -> JSONValue {
        // The C parser stops at a NUL byte; text with one is not what it looks like.
        if sql.utf8.contains(0) { throw SyntaxError(message: "contains a NUL character", position: 0) }
        let result = pg_query_parse(sql)
        defer { pg_query_free_parse_result(result) }
        if let error = result.error {
            throw SyntaxError(message: error.pointee.message.map { String(cString: $0) } ?? "syntax error", position: Int(error.pointee.cursorpos))
        }
        guard let text = result.parse_tree else {
            throw SyntaxError(message: "the parser returned no tree", position: 0)
        }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: strlen(text))
        guard let tree = try? ParseTreeJSON.parse(bytes) else {
            throw SyntaxError(message: "the statement is nested too deeply to read", position: 0)
        }
        return tree
    }

    /// The statements of a parse tree, each as its node name and fields.
    public static func statements(_ tree: JSONValue) -> [(node: String, fields: [String: JSONValue])] {
        guard case .object(let root) = tree, case .array(let stmts)? = root["stmts"] else { return [] }
        return stmts.compactMap { item in
            guard case .object(let o) = item, case .object(let stmt)? = o["stmt"], let (name, value) = stmt.first,
                  case .object(let fields) = value
            else { return nil }
            return (name, fields)
        }
    }

    /// Whether any node of `tree` is one of `names` (e.g. `ColumnRef`).
    public static func contains(_ tree: JSONValue, node names: Set<String>) -> Bool {
        switch tree {
        case .object(let o):
            for (k, v) in o {
                if names.contains(k) { return true }
                if contains(v, node: names) { return true }
            }
            return false
        case .array(let a):
            return a.contains { contains($0, node: names) }
        default:
            return false
        }
    }
}
