import TOMLKit

/// A TOML value as the rest of the core sees it (TOMLKit's own types stay in this file).
public indirect enum TOMLNode: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case array([TOMLNode])
    case table([String: TOMLNode])
    /// A date, time or date-time, kept as written.
    case datetime(String)

    /// The TOML type's name, for messages ("expected a boolean, found a string").
    public var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .bool: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        case .datetime: return "a date"
        }
    }

    /// The value at a dotted path of keys, e.g. `["tool", "alembic"]`.
    public subscript(path: [String]) -> TOMLNode? {
        var node = self
        for key in path {
            guard case .table(let t) = node, let next = t[key] else { return nil }
            node = next
        }
        return node
    }
}

/// Reads TOML text (TOMLKit, which wraps toml++: TOML 1.0).
public enum TOMLDocument {
    /// The document's root table, or the parser's error with its line.
    public static func parse(_ text: String, file: String) throws(ConfigIssue) -> TOMLNode {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigIssue(file: file, line: error.source.begin.line, problem: "is not valid TOML: \(error.description)", fix: "correct the TOML syntax at that line")
        } catch {
            throw ConfigIssue(file: file, problem: "is not valid TOML: \(error)", fix: "correct the TOML syntax")
        }
        return node(table)
    }

    private static func node(_ table: TOMLTable) -> TOMLNode {
        var out: [String: TOMLNode] = [:]
        for key in table.keys {
            if let value = table[key] { out[key] = node(value.tomlValue) }
        }
        return .table(out)
    }

    private static func node(_ value: TOMLValue) -> TOMLNode {
        switch value.type {
        case .table: return value.table.map(node) ?? .table([:])
        case .array: return .array((value.array.map { Array($0) } ?? []).map { node($0.tomlValue) })
        case .string: return .string(value.string ?? "")
        case .int: return .integer(value.int ?? 0)
        case .double: return .float(value.double ?? 0)
        case .bool: return .bool(value.bool ?? false)
        case .date, .time, .dateTime: return .datetime(value.debugDescription)
        }
    }
}
