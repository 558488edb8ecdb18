import Foundation

/// Whether a stream gets ANSI colour: only a terminal, never with `NO_COLOR` set and not empty
/// (no-color.org), never on `TERM=dumb`. Every coloured word the CLI prints goes through here.
struct OutputColor {
    let enabled: Bool

    init(fileDescriptor: Int32 = STDOUT_FILENO, environment: [String: String] = ProcessInfo.processInfo.environment) {
        enabled = isatty(fileDescriptor) == 1
            && (environment["NO_COLOR"] ?? "").isEmpty
            && environment["TERM"] != "dumb"
    }

    enum Style: String {
        case yellow = "33"
        case green = "32"
        case red = "31"
        case bold = "1"
    }

    func paint(_ text: String, _ style: Style) -> String {
        enabled ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
