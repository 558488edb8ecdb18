/// What a key does. Bindings are data: each carries the help text that the
/// footer and the help screen show, so help can never drift from behaviour.
public enum Action: Hashable, Sendable {
    case nextField, previousField, activate, back, toggle, choiceNext, choicePrevious
    /// Tab in a field that names a table, column or value: completes the name as far as the
    /// history's names agree. Where nothing is left to complete, Tab moves on instead.
    case complete
    case add, delete, moveUp, moveDown
    /// Go straight to the step with the key's number (1 is Description).
    case jumpToStep
    /// In the column editor: Alt-p, Alt-n, Alt-u, Alt-i toggle primary key, nullable, unique, index.
    case toggleColumnFlag
    /// In the column editor: this column is done, start the next one (Alt-a).
    case nextColumn
    /// In the column editor: drop what the name suggested (Alt-x); the column keeps what was typed.
    case declineSuggestion
    case help, previewTab, scrollUp, scrollDown, review, quit
    /// On the done screen: prove the written migration on a throwaway database (`vejamigrate verify`).
    case verify
    /// Give the terminal back and stop (the shell's `fg` resumes).
    case suspend
    case cursorLeft, cursorRight, cursorHome, cursorEnd, deleteBackward, deleteForward, clearField
}

/// Where a binding applies.
public enum Scope: Hashable, Sendable {
    /// Always.
    case global
    /// When the focused field is one of these kinds.
    case focus(Set<FocusKind>)
    /// Whenever the focused field is not a text field (so letters can be typed).
    case notText
}

/// The kinds of field that keys care about.
public enum FocusKind: Hashable, Sendable {
    case text, toggle, choice, row, button
}

/// One binding: the keys, their label in the footer, what they do, and when.
public struct KeyBinding: Sendable {
    public let keys: [Key]
    public let label: String
    public let help: String
    public let action: Action
    public let scope: Scope
    /// Shown in the footer when it applies (the rest only on the help screen).
    public let footer: Bool
    /// The label ends in the number of steps the flow has: `1-` reads `1-4` on a four-step flow.
    public let countsSteps: Bool

    /// The label as the footer and the help show it, for a flow of `steps` steps.
    public func label(steps: Int) -> String { countsSteps ? label + String(steps) : label }

    /// Whether the binding is live when the focused field is of `kind` (nil: nothing focused).
    func applies(to kind: FocusKind?) -> Bool {
        switch scope {
        case .global: return true
        case .focus(let kinds): return kind.map(kinds.contains) ?? false
        case .notText: return kind != .text
        }
    }

    init(_ keys: [Key], _ label: String, _ help: String, _ action: Action, _ scope: Scope = .global, footer: Bool = true, countsSteps: Bool = false) {
        self.keys = keys
        self.label = label
        self.help = help
        self.action = action
        self.scope = scope
        self.footer = footer
        self.countsSteps = countsSteps
    }
}

/// The key table that drives the wizard, the footer and the help screen.
public enum KeyMap {
    public static let bindings: [KeyBinding] = [
        KeyBinding([.tab], "Tab", "complete", .complete, .focus([.text])),
        KeyBinding([.tab, .down], "Tab", "next", .nextField),
        KeyBinding([.backTab, .up], "S-Tab", "previous", .previousField, footer: false),
        KeyBinding([.enter], "Enter", "ok", .activate),
        KeyBinding([.escape], "Esc", "back", .back),
        KeyBinding((1...9).map { .character(Character(String($0))) }, "1-", "step", .jumpToStep, .notText, countsSteps: true),
        KeyBinding((1...9).map { .alt(Character(String($0))) }, "Alt+1-", "step, in text too", .jumpToStep, footer: false, countsSteps: true),
        KeyBinding([.character(" ")], "Space", "toggle", .toggle, .focus([.toggle, .choice])),
        KeyBinding([.right], "→", "next choice", .choiceNext, .focus([.choice]), footer: false),
        KeyBinding([.left], "←", "previous choice", .choicePrevious, .focus([.choice]), footer: false),
        KeyBinding([.alt("p"), .alt("n"), .alt("u"), .alt("i")], "Alt+p/n/u/i", "PK, nullable, unique, index", .toggleColumnFlag),
        KeyBinding([.alt("a")], "Alt+a", "next column", .nextColumn),
        KeyBinding([.alt("x")], "Alt+x", "drop suggestion", .declineSuggestion, footer: false),
        KeyBinding([.character("a"), .function(5)], "a", "add", .add, .notText),
        KeyBinding([.character("d"), .delete], "d", "delete", .delete, .focus([.row, .toggle])),
        KeyBinding([.character("[")], "[", "move up", .moveUp, .focus([.row]), footer: false),
        KeyBinding([.character("]")], "]", "move down", .moveDown, .focus([.row]), footer: false),
        KeyBinding([.character("v"), .function(6)], "v", "verify", .verify, .notText),
        KeyBinding([.function(2)], "F2", "SQL/Python", .previewTab),
        KeyBinding([.pageUp], "PgUp", "scroll preview up", .scrollUp, footer: false),
        KeyBinding([.pageDown], "PgDn", "scroll preview down", .scrollDown, footer: false),
        KeyBinding([.function(10), .control("s")], "F10", "review", .review),
        KeyBinding([.function(1), .character("?")], "F1", "help", .help),
        KeyBinding([.control("c")], "^C", "quit", .quit),
        KeyBinding([.control("z")], "^Z", "suspend (fg resumes)", .suspend, footer: false),
        KeyBinding([.left], "←", "cursor left (in text)", .cursorLeft, .focus([.text]), footer: false),
        KeyBinding([.right], "→", "cursor right (in text)", .cursorRight, .focus([.text]), footer: false),
        KeyBinding([.home, .control("a")], "Home", "start of field", .cursorHome, .focus([.text]), footer: false),
        KeyBinding([.end, .control("e")], "End", "end of field", .cursorEnd, .focus([.text]), footer: false),
        KeyBinding([.backspace], "Bksp", "delete before cursor", .deleteBackward, .focus([.text]), footer: false),
        KeyBinding([.delete], "Del", "delete at cursor", .deleteForward, .focus([.text]), footer: false),
        KeyBinding([.control("u")], "^U", "clear field", .clearField, .focus([.text]), footer: false),
    ]

    /// The binding for `key` when the focused field is of `kind` (nil: nothing focused), among those
    /// whose action `applies` here: a key whose first binding does nothing here falls to the next
    /// (Tab completes a name, or else moves on), as the footer shows.
    public static func binding(for key: Key, focus kind: FocusKind?, applies: (Action) -> Bool = { _ in true }) -> KeyBinding? {
        let candidates = bindings.filter { $0.keys.contains(key) && $0.applies(to: kind) && applies($0.action) }
        // A binding for the focused kind wins over a global one (Delete in text deletes a character).
        if let specific = candidates.first(where: { if case .focus = $0.scope { return true } else { return false } }) {
            return specific
        }
        // Text fields own printable keys ('?' and 'a' among them).
        if kind == .text, case .character = key { return nil }
        return candidates.first
    }

    /// The footer's hints for the focused kind, in table order, fitted to `width`:
    /// help, quit and (in the column editor) Alt+a always stay; the column flags drop first, then
    /// others from the end, until the rest fit.
    public static func footer(focus kind: FocusKind?, width: Int, steps: Int = 8, applies: (Action) -> Bool = { _ in true }) -> [(String, String)] {
        var items = footerBindings(focus: kind, applies: applies)
        func total(_ list: [KeyBinding]) -> Int { list.reduce(0) { $0 + DisplayWidth.of($1.label(steps: steps)) + DisplayWidth.of($1.help) + 3 } }
        while total(items) > width, let last = items.firstIndex(where: { droppedFirst.contains($0.action) }) ?? items.lastIndex(where: { !pinned.contains($0.action) }) {
            items.remove(at: last)
        }
        return items.map { ($0.label(steps: steps), $0.help) }
    }

    /// What the footer keeps however narrow: help and quit, and the column editor's way out to the
    /// next column (a new user in a long form finds it nowhere else but F1).
    static let pinned: Set<Action> = [.help, .quit, .nextColumn]
    /// What goes first when the footer is short of room: the column flags, which the editor's
    /// fields name beside them already (`Unique (Alt-u)`).
    static let droppedFirst: Set<Action> = [.toggleColumnFlag]

    /// The footer's hints for the focused kind, in table order.
    /// A label shows once: the first binding that applies is what the key does.
    /// A step range names the steps the flow has (`steps`).
    public static func footer(focus kind: FocusKind?, steps: Int = 8, applies: (Action) -> Bool = { _ in true }) -> [(String, String)] {
        footerBindings(focus: kind, applies: applies).map { ($0.label(steps: steps), $0.help) }
    }

    static func footerBindings(focus kind: FocusKind?, applies: (Action) -> Bool) -> [KeyBinding] {
        var seen = Set<String>()
        return bindings.filter { $0.footer && applies($0.action) && $0.applies(to: kind) && seen.insert($0.label).inserted }
    }
}
