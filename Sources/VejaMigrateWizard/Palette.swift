/// How the wizard's styles look on a terminal with a given number of colours: the one place
/// that decides it, so the driver paints exactly what the golden screens per depth show.
///
///     let look = Palette(depth: .eight).look(for: Style(foreground: .gray))
///     // look.color == 7 (white), look.dim == true
public struct Palette: Sendable, Equatable {
    /// What the terminal can show.
    public enum Depth: String, Sendable, CaseIterable {
        /// No colour: `NO_COLOR`, `--no-color`, or a terminal without colours (vt100).
        case monochrome
        /// The eight ANSI colours: the Linux console, `xterm`.
        case eight
        /// 16 or more (`xterm-256color`, `tmux-256color`): bright black exists.
        case many

        /// The depth for a terminal that has `colors` colours (terminfo's `colors`), colour wanted or not.
        public static func of(colors: Int, wanted: Bool) -> Depth {
            guard wanted, colors >= 8 else { return .monochrome }
            return colors >= 16 ? .many : .eight
        }
    }

    /// A cell as the terminal draws it: a curses colour number (nil: the terminal's own) and attributes.
    public struct Look: Hashable, Sendable {
        public var color: Int16?
        public var bold = false
        public var reverse = false
        public var underline = false
        public var dim = false
    }

    public let depth: Depth

    public init(depth: Depth) {
        self.depth = depth
    }

    /// The ANSI numbers of the wizard's colours; gray is bright black (8) where it exists.
    static func number(_ color: Color, depth: Depth) -> Int16? {
        switch color {
        case .normal: return nil
        case .red: return 1
        case .green: return 2
        case .yellow: return 3
        case .blue: return 4
        case .magenta: return 5
        case .cyan: return 6
        case .gray: return depth == .many ? 8 : 7
        }
    }

    /// The colour numbers this palette uses, for the driver's colour pairs.
    public var colorNumbers: [Int16] {
        depth == .monochrome ? [] : Color.allCases.compactMap { Palette.number($0, depth: depth) }
    }

    public func look(for style: Style) -> Look {
        var look = Look(color: nil, bold: style.bold, reverse: style.reverse, underline: style.underline, dim: style.dim)
        switch depth {
        case .many:
            look.color = Palette.number(style.foreground, depth: depth)
        case .eight:
            look.color = Palette.number(style.foreground, depth: depth)
            // White is the text's own colour on most consoles: secondary text is dim as well.
            if style.foreground == .gray { look.dim = true }
        case .monochrome:
            // Attributes only: secondary text is dim, an error is bold, so neither reads as plain text.
            if style.foreground == .gray { look.dim = true }
            if style.foreground == .red { look.bold = true }
        }
        return look
    }
}
