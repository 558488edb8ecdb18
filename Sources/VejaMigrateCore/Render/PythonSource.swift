/// A Python expression, laid out the way `ruff format --line-length N` lays it out (`width`: the
/// project's line length, 120 unless its ruff settings say otherwise).
///
/// Only the shapes migrations need: atoms (names, literals), calls with
/// positional and keyword arguments, and lists. `lines(...)` follows ruff's
/// rules for these shapes: the whole call on one line if it fits; else the
/// arguments together on one indented line; else one argument per line with
/// a trailing comma. A call written with `magicTrailingComma` always explodes,
/// as ruff keeps a trailing comma that is already there.
indirect enum PyExpr: Equatable {
    case atom(String)
    case call(String, [PyArg], magicTrailingComma: Bool = false)
    case list([PyExpr])
    /// Adjacent string literals Python joins into one (each piece on a line of its own).
    case concatenation([String])

    /// The line length when the project sets none (VejaPRO's CI runs ruff with 120).
    static let defaultLineLength = 120

    /// The expression on a single line.
    var flat: String {
        switch self {
        case .atom(let s): return s
        case .call(let callee, let args, _): return callee + "(" + args.map(\.flat).joined(separator: ", ") + ")"
        case .list(let items): return "[" + items.map(\.flat).joined(separator: ", ") + "]"
        // What fits on one line ruff joins into one literal.
        case .concatenation(let pieces): return PyExpr.pythonString(pieces.joined())
        }
    }

    /// The lines of `prefix + expression + suffix` at `indent` spaces.
    func lines(indent: Int, prefix: String = "", suffix: String = "", width: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        let open: String, close: String, args: [PyArg], magic: Bool
        switch self {
        case .atom(let s): return [pad + prefix + s + suffix]
        case .concatenation(let pieces):
            // ruff keeps implicitly joined strings that do not fit on one line as they are, a piece a line.
            let one = pad + prefix + flat + suffix
            if PyExpr.width(one) <= width { return [one] }
            return pieces.enumerated().map { i, piece in
                pad + (i == 0 ? prefix : "") + PyExpr.pythonString(piece) + (i == pieces.count - 1 ? suffix : "")
            }
        case .call(let callee, let a, let m): (open, close, args, magic) = (callee + "(", ")", a, m)
        case .list(let items): (open, close, args, magic) = ("[", "]", items.map { PyArg(nil, $0) }, false)
        }
        let one = pad + prefix + flat + suffix
        if !magic && (PyExpr.width(one) <= width || args.isEmpty) { return [one] }
        let inner = String(repeating: " ", count: indent + 4)
        let body = inner + args.map(\.flat).joined(separator: ", ")
        if !magic && PyExpr.width(body) <= width {
            return [pad + prefix + open, body, pad + close + suffix]
        }
        var out = [pad + prefix + open]
        if args.count == 1, args[0].keyword == nil, case .concatenation = args[0].value {
            // A sole implicit concatenation stands in the brackets without a trailing comma.
            return out + args[0].value.lines(indent: indent + 4, width: width) + [pad + close + suffix]
        }
        for arg in args {
            out += arg.value.lines(indent: indent + 4, prefix: arg.keyword.map { $0 + "=" } ?? "", suffix: ",", width: width)
        }
        out.append(pad + close + suffix)
        return out
    }

    /// The width ruff measures a line with (the `unicode-width` of each character), not its
    /// character count: East Asian wide and fullwidth characters and emoji take two columns,
    /// combining marks and other zero-width characters none.
    static func width(_ text: String) -> Int {
        var width = 0
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                width += scalar.value >= 0x20 && scalar.value != 0x7F ? 1 : 0
                continue
            }
            let v = scalar.value
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format, .control: continue
            default: break
            }
            if (0x1160...0x11FF).contains(v) { continue }  // Hangul medial vowels and final consonants
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
                || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
                || (0xA960...0xA97F).contains(v) || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
                || (0xFE10...0xFE19).contains(v) || (0xFE30...0xFE6F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x16FE0...0x18AFF).contains(v) || (0x1B000...0x1B2FF).contains(v)
                || (0x20000...0x3FFFD).contains(v)
                || (scalar.properties.isEmojiPresentation && !(0x1F1E6...0x1F1FF).contains(v))
            width += wide ? 2 : 1
        }
        return width
    }

    /// A Python string literal in ruff's preferred quotes: double, unless single needs fewer escapes.
    static func string(_ s: String) -> PyExpr { .atom(pythonString(s)) }

    static func pythonString(_ s: String) -> String {
        var doubles = 0, singles = 0
        for ch in s.unicodeScalars {
            if ch == "\"" { doubles += 1 } else if ch == "'" { singles += 1 }
        }
        let quote: Unicode.Scalar = doubles > singles ? "'" : "\""
        var out = String(quote)
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case quote: out += "\\" + String(ch)
            default: out.unicodeScalars.append(ch)
            }
        }
        out.unicodeScalars.append(quote)
        return out
    }
}

/// A positional or keyword argument.
struct PyArg: Equatable {
    var keyword: String?
    var value: PyExpr

    init(_ keyword: String?, _ value: PyExpr) {
        self.keyword = keyword
        self.value = value
    }

    var flat: String { (keyword.map { $0 + "=" } ?? "") + value.flat }
}
