extension JSONValue {
    /// Pretty JSON the way people write it: two-space indent, `"key": value`, keys sorted, `/` not
    /// escaped, one value per line; empty arrays and objects as `[]` and `{}`. Written straight into
    /// bytes, so a large document (`schema --json` of 10,000 migrations) costs one pass and no tree of
    /// intermediate strings.
    public var prettyText: String {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(to: &out, indent: 0)
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }

    public func write(to out: inout [UInt8], indent: Int) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .decimal(let d): out += d.description.utf8
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]".utf8; return }
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.newline(&out, indent + 2)
                item.write(to: &out, indent: indent + 2)
            }
            JSONValue.newline(&out, indent)
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty { out += "{}".utf8; return }
            out.append(UInt8(ascii: "{"))
            for (k, key) in o.keys.sorted().enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.newline(&out, indent + 2)
                JSONValue.writeString(key, to: &out)
                out += ": ".utf8
                o[key]!.write(to: &out, indent: indent + 2)
            }
            JSONValue.newline(&out, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int) { JSONObjectWriter.newline(indent, &out) }

    private static let hex = Array("0123456789abcdef".utf8)

    /// `s` as a JSON string: quotes, and escapes for `"`, `\\` and control characters.
    public static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape: copied whole.
        let plain = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += "\\\"".utf8
            case UInt8(ascii: "\\"): out += "\\\\".utf8
            case UInt8(ascii: "\n"): out += "\\n".utf8
            case UInt8(ascii: "\r"): out += "\\r".utf8
            case UInt8(ascii: "\t"): out += "\\t".utf8
            case 0..<0x20:
                out += "\\u00".utf8
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            default:
                out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// An object written field by field in `JSONValue.prettyText`'s layout; the caller gives the keys in
/// sorted order.
public struct JSONObjectWriter {
    public let indent: Int
    private var empty = true

    public init(indent: Int) { self.indent = indent }

    public mutating func key(_ k: String, _ out: inout [UInt8]) {
        out.append(empty ? UInt8(ascii: "{") : UInt8(ascii: ","))
        empty = false
        JSONObjectWriter.newline(indent + 2, &out)
        JSONValue.writeString(k, to: &out)
        out += ": ".utf8
    }

    public func end(_ out: inout [UInt8]) {
        if empty {
            out += "{}".utf8
        } else {
            JSONObjectWriter.newline(indent, &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    public static func newline(_ indent: Int, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    public static func bool(_ b: Bool, _ out: inout [UInt8]) { out += (b ? "true" : "false").utf8 }

    public static func optional(_ s: String?, _ out: inout [UInt8]) {
        if let s { JSONValue.writeString(s, to: &out) } else { out += "null".utf8 }
    }

    /// An array whose items stand at `indent`: a field's array in an object at indent X has its items at X + 4.
    public static func array<T>(_ items: [T], indent: Int, _ out: inout [UInt8], _ item: (T, Int, inout [UInt8]) -> Void) {
        guard !items.isEmpty else { out += "[]".utf8; return }
        out.append(UInt8(ascii: "["))
        for (k, x) in items.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            newline(indent, &out)
            item(x, indent, &out)
        }
        newline(indent - 2, &out)
        out.append(UInt8(ascii: "]"))
    }

    public static func strings(_ items: [String], indent: Int, _ out: inout [UInt8]) {
        array(items, indent: indent, &out) { s, _, out in JSONValue.writeString(s, to: &out) }
    }
}
