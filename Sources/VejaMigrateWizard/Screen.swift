/// A terminal size in cells.
public struct Size: Hashable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// The colours the wizard uses; a terminal without colour (or `NO_COLOR`) shows attributes only.
public enum Color: Hashable, Sendable, CaseIterable {
    case normal, red, green, yellow, blue, magenta, cyan, gray
}

/// How a cell looks.
public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool

    public init(foreground: Color = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    public static let plain = Style()
}

/// One character cell. A wide character fills its cell and marks the next one as `continuation`.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style
    /// The right half of a wide character: painted by its left neighbour.
    public var continuation: Bool

    public init(_ character: Character = " ", style: Style = .plain, continuation: Bool = false) {
        self.character = character
        self.style = style
        self.continuation = continuation
    }
}

/// A screen of styled cells: what `render` returns, what the driver paints, what tests compare.
public struct Screen: Equatable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be, if visible.
    public var cursor: (x: Int, y: Int)? {
        get { cursorStorage.map { ($0[0], $0[1]) } }
        set { cursorStorage = newValue.map { [$0.x, $0.y] } }
    }
    private var cursorStorage: [Int]?

    public init(size: Size) {
        self.size = size
        cells = Array(repeating: Cell(), count: max(0, size.width * size.height))
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * size.width + x] }
        set {
            guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
            cells[y * size.width + x] = newValue
        }
    }

    /// Writes `text` at (x, y), clipped to `maxWidth` columns (and the screen); returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < size.height else { return 0 }
        let limit = min(size.width, x + (maxWidth ?? size.width))
        var col = x
        for ch in text {
            let w = DisplayWidth.of(ch)
            if w == 0 { continue }
            if col + w > limit { break }
            if col >= 0 {
                self[col, y] = Cell(ch, style: style)
                if w == 2 { self[col + 1, y] = Cell(" ", style: style, continuation: true) }
            }
            col += w
        }
        return col - x
    }

    /// Fills a rectangle with spaces in `style`.
    public mutating func fill(x: Int, y: Int, width: Int, height: Int, style: Style) {
        for row in max(0, y)..<min(size.height, y + height) {
            for col in max(0, x)..<min(size.width, x + width) { self[col, row] = Cell(" ", style: style) }
        }
    }

    /// The screen as plain text, one line per row, trailing spaces kept.
    public var text: String {
        (0..<size.height).map(line).joined(separator: "\n")
    }

    /// Row `y` as plain text.
    public func line(_ y: Int) -> String {
        var s = ""
        for x in 0..<size.width where !self[x, y].continuation { s.append(self[x, y].character) }
        return s
    }

    public static func == (a: Screen, b: Screen) -> Bool {
        a.size == b.size && a.cells == b.cells && a.cursorStorage == b.cursorStorage
    }
}

/// Display width of characters, independent of the C library's locale.
public enum DisplayWidth {
    /// 0 for combining marks and controls, 2 for East Asian wide and emoji, else 1.
    public static func of(_ ch: Character) -> Int {
        // ASCII: controls are 0, the rest 1; no Unicode property lookup (CRLF is a control too).
        if let a = ch.asciiValue { return a < 0x20 || a == 0x7F ? 0 : 1 }
        guard let s = ch.unicodeScalars.first else { return 0 }
        let v = s.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if s.properties.generalCategory == .nonspacingMark || s.properties.generalCategory == .enclosingMark { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) && v != 0x303F || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
            || (0x20000...0x3FFFD).contains(v) || (0x1F000...0x1FAFF).contains(v) || emojiWide.contains(v) {
            return 2
        }
        return 1
    }

    public static func of(_ s: String) -> Int {
        var ascii = 0
        for b in s.utf8 {
            if b >= 0x80 { return s.reduce(0) { $0 + of($1) } }
            if b >= 0x20 && b != 0x7F { ascii += 1 }
        }
        return ascii
    }

    /// Symbols below U+1F000 that terminals draw two columns wide (Unicode's emoji presentation).
    static let emojiWide: Set<UInt32> = [
        0x231A, 0x231B, 0x23E9, 0x23EA, 0x23EB, 0x23EC, 0x23F0, 0x23F3, 0x25FD, 0x25FE, 0x2614, 0x2615,
        0x2648, 0x2649, 0x264A, 0x264B, 0x264C, 0x264D, 0x264E, 0x264F, 0x2650, 0x2651, 0x2652, 0x2653,
        0x267F, 0x2693, 0x26A1, 0x26AA, 0x26AB, 0x26BD, 0x26BE, 0x26C4, 0x26C5, 0x26CE, 0x26D4, 0x26EA,
        0x26F2, 0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A, 0x270B, 0x2728, 0x274C, 0x274E, 0x2753,
        0x2754, 0x2755, 0x2757, 0x2795, 0x2796, 0x2797, 0x27B0, 0x27BF, 0x2B1B, 0x2B1C, 0x2B50, 0x2B55,
    ]
}
