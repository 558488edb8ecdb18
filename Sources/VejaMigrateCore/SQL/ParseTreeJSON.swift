import Foundation

/// A small, fast JSON reader for libpg_query's parse trees.
///
/// Foundation's `JSONDecoder` into `JSONValue` costs most of a history read when migrations carry
/// SQL (it tries every type in turn and tracks coding paths); this reads the bytes once. It is
/// strict JSON, and it refuses nesting deeper than `maxDepth` so a pathological statement can never
/// exhaust a worker thread's stack: such SQL is then treated as unreadable.
enum ParseTreeJSON {
    static let maxDepth = 400

    struct Failure: Error {}

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> JSONValue {
        var reader = Reader(bytes: bytes)
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.i == bytes.count else { throw Failure() }
        return value
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func value(depth: Int) throws(Failure) -> JSONValue {
            guard depth < ParseTreeJSON.maxDepth else { throw Failure() }
            skipSpace()
            guard i < bytes.count else { throw Failure() }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var object: [String: JSONValue] = [:]
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(object) }
                while true {
                    skipSpace()
                    let key = try string()
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw Failure() }
                    i += 1
                    object[key] = try value(depth: depth + 1)
                    skipSpace()
                    guard i < bytes.count else { throw Failure() }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(object) }
                    throw Failure()
                }
            case UInt8(ascii: "["):
                i += 1
                var array: [JSONValue] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(array) }
                while true {
                    array.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw Failure() }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(array) }
                    throw Failure()
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try word("true", .bool(true))
            case UInt8(ascii: "f"): return try word("false", .bool(false))
            case UInt8(ascii: "n"): return try word("null", .null)
            default:
                return try number()
            }
        }

        mutating func word(_ w: String, _ result: JSONValue) throws(Failure) -> JSONValue {
            for c in w.utf8 {
                guard i < bytes.count, bytes[i] == c else { throw Failure() }
                i += 1
            }
            return result
        }

        mutating func number() throws(Failure) -> JSONValue {
            let start = i
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            var integral = true
            while i < bytes.count {
                let c = bytes[i]
                if c >= 48 && c <= 57 { i += 1; continue }
                if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                    integral = false
                    i += 1
                    continue
                }
                break
            }
            guard i > start else { throw Failure() }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            if integral, let n = Int(text) { return .int(n) }
            guard let d = Decimal(string: text) else { throw Failure() }
            return .decimal(d)
        }

        mutating func string() throws(Failure) -> String {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Failure() }
            i += 1
            let start = i
            // The common case: no escapes, one copy.
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
            guard i < bytes.count else { throw Failure() }
            if bytes[i] == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if c != UInt8(ascii: "\\") {
                    out.append(c)
                    i += 1
                    continue
                }
                guard i + 1 < bytes.count else { throw Failure() }
                let e = bytes[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Failure() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    out += Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                default:
                    throw Failure()
                }
            }
            throw Failure()
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard i + 4 <= bytes.count else { throw Failure() }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[i]
                let d: UInt32
                switch c {
                case 48...57: d = UInt32(c - 48)
                case 65...70: d = UInt32(c - 55)
                case 97...102: d = UInt32(c - 87)
                default: throw Failure()
                }
                v = v * 16 + d
                i += 1
            }
            return v
        }
    }
}
