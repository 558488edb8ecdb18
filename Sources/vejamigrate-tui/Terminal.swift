import CNcursesw
import Foundation
import Synchronization
import VejaMigrateWizard

/// The ncurses side of the wizard: keys in, cells out, and the terminal put back the way it was.
///
/// The driver knows nothing about the wizard. `nextMessage()` waits at most 100 ms,
/// so the loop can notice `pendingSignal` (SIGINT, SIGTERM, SIGHUP) and stop cleanly.
///
///     let terminal = try Terminal.start(colors: true)
///     defer { terminal.stop() }
///     terminal.paint(screen)
///     if let message = terminal.nextMessage() { ... }
final class Terminal {
    private let window: UnsafeMutablePointer<WINDOW>
    /// How styles look at this terminal's colour depth (Palette: the golden screens per depth show it).
    private let palette: Palette
    private var colorPairs: [Int16: Int16] = [:]
    private var cursorVisible: Int32 = -1
    /// Runs of cells share a style; its curses attributes are worked out once a run (plain is 0, pair 0).
    private var lastStyle: (style: Style, attributes: attr_t, pair: Int16) = (.plain, 0, 0)
    private var stopped = false
    /// One cell's characters for `setcchar`: a spacing character, its combining marks, NUL.
    private var cellCharacters: [wchar_t]

    private init(window: UnsafeMutablePointer<WINDOW>, palette: Palette) {
        self.window = window
        self.palette = palette
        cellCharacters = Array(repeating: 0, count: Int(vm_ccharmax()) + 1)
    }

    /// Takes over the terminal: UTF-8 locale, raw keys, no echo, keypad, 25 ms Esc, 100 ms input timeout.
    ///
    /// Colours are used only when `colors` is true and the terminal has them.
    static func start(colors: Bool) throws -> Terminal {
        Terminal.chooseUTF8Locale()
        // Before newterm: ncurses installs its own SIGINT/SIGTERM handlers only where none is set.
        TerminalSignals.install()
        let term = ProcessInfo.processInfo.environment["TERM"].map { "TERM=\($0)" } ?? "TERM is not set"
        // Before newterm, which would take over a terminal it then cannot draw on (TERM=dumb drew blanks).
        switch vm_terminal_capability() {
        case 0: break
        case 2: throw TerminalError.refusal("\(term) is a printing terminal")
        case 3: throw TerminalError.refusal("\(term) cannot move the cursor")
        default:
            let unset = ProcessInfo.processInfo.environment["TERM"] == nil
            throw TerminalError.refusal(unset ? term : "\(term) has no terminfo entry here")
        }
        guard let screen = vm_newterm(), let window = vm_stdscr() else {
            throw TerminalError.refusal("\(term) cannot be opened")
        }
        _ = set_term(screen)
        raw()
        noecho()
        nonl()
        keypad(window, true)
        _ = set_escdelay(25)
        wtimeout(window, 100)
        TerminalSignals.terminalActive.store(true, ordering: .sequentiallyConsistent)

        // COLORS is known only after start_color.
        let wanted = colors && has_colors()
        if wanted { start_color() }
        let depth = Palette.Depth.of(colors: wanted ? Int(vm_colors()) : 0, wanted: wanted)
        let terminal = Terminal(window: window, palette: Palette(depth: depth))
        if depth != .monochrome { terminal.setUpColors() }
        return terminal
    }

    /// Under a non-UTF-8 locale `wget_wch` hung on multibyte input and box characters vanished.
    private static func chooseUTF8Locale() {
        setlocale(LC_ALL, "")
        let codeset = vm_codeset().map { String(cString: $0) } ?? ""
        if codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    /// One colour pair per colour number the palette uses, on the terminal's own background.
    private func setUpColors() {
        let background: Int16 = use_default_colors() == OK ? -1 : Int16(COLOR_BLACK)
        var pair: Int16 = 1
        for number in palette.colorNumbers where colorPairs[number] == nil {
            if init_pair(pair, number, background) == OK { colorPairs[number] = pair }
            pair += 1
        }
    }

    /// The terminal's size in cells.
    var size: Size {
        Size(width: Int(max(0, getmaxx(window))), height: Int(max(0, getmaxy(window))))
    }

    /// The signal that asked the program to stop (SIGINT, SIGTERM or SIGHUP), if one arrived.
    var pendingSignal: Int32? {
        let signal = TerminalSignals.pending.load(ordering: .relaxed)
        return signal == 0 ? nil : signal
    }

    /// The next key or resize; nil when nothing arrived within 100 ms (or the key means nothing to the wizard).
    /// With `wait: false`, only what is already queued (typeahead, a paste) is returned.
    func nextMessage(wait: Bool = true) -> Message? {
        if !wait { wtimeout(window, 0) }
        defer { if !wait { wtimeout(window, 100) } }
        var code: wint_t = 0
        switch wget_wch(window, &code) {
        case OK:
            if code == 27, let alt = altKey() { return .key(alt) }
            return KeyTranslation.character(UInt32(code)).map(Message.key)
        case KEY_CODE_YES:
            if Int32(code) == KEY_RESIZE { return .resize(size) }
            return KeyTranslation.keyCode(Int32(code)).map(Message.key)
        default:
            return nil
        }
    }

    /// Alt plus a key arrives as Esc and the key at once: a printable character already queued
    /// after Esc makes `.alt`. Anything else queued is put back for the next read.
    private func altKey() -> Key? {
        wtimeout(window, 0)
        defer { wtimeout(window, 100) }
        var next: wint_t = 0
        let result = wget_wch(window, &next)
        guard result != ERR else { return nil }
        if result == OK, case .character(let ch)? = KeyTranslation.character(UInt32(next)) { return .alt(ch) }
        if result == KEY_CODE_YES { _ = vm_unget_key(Int32(next)) } else { _ = unget_wch(wchar_t(bitPattern: UInt32(next))) }
        return nil
    }

    /// Paints every cell of `screen`, places or hides the cursor, and refreshes once.
    ///
    /// Every cell is overwritten instead of erasing first, so ncurses sends only what changed and nothing flickers.
    func paint(_ screen: Screen) {
        guard !stopped else { return }
        let current = size
        let width = min(screen.size.width, current.width)
        let height = min(screen.size.height, current.height)
        for y in 0..<height {
            // A continuation cell is painted by the wide character to its left; one left without it gets a space.
            var coveredByWide = false
            for x in 0..<width {
                let cell = screen[x, y]
                if cell.continuation && coveredByWide {
                    coveredByWide = false
                    continue
                }
                var character = cell.continuation ? " " : cell.character
                // Most cells are printable ASCII; the Unicode lookup in DisplayWidth is the slow part of a paint.
                var columns = character.asciiValue.map { (0x20..<0x7F).contains($0) ? 1 : 0 } ?? DisplayWidth.of(character)
                if columns == 0 || (columns == 2 && x + 1 >= width) {
                    character = " "
                    columns = 1
                } else if character.asciiValue == nil, !libraryAgrees(character, columns: columns) {
                    // ncurses places cells by the C library's widths; a character it measures differently
                    // from the model would shift the rest of the row, so a replacement keeps the grid.
                    character = "\u{FFFD}"
                    columns = 1
                }
                put(character, x: x, y: y, style: cell.style)
                coveredByWide = columns == 2
            }
        }
        // A screen rendered for a smaller size (a resize raced the render) leaves no stale cells behind.
        if width < current.width || height < current.height {
            for y in 0..<current.height {
                for x in (y < height ? width : 0)..<current.width { put(" ", x: x, y: y, style: .plain) }
            }
        }
        if let cursor = screen.cursor, cursor.x >= 0, cursor.y >= 0, cursor.x < width, cursor.y < height {
            setCursorVisibility(1)
            wmove(window, Int32(cursor.y), Int32(cursor.x))
        } else {
            setCursorVisibility(0)
        }
        wrefresh(window)
    }

    private func libraryAgrees(_ character: Character, columns: Int) -> Bool {
        guard let first = character.unicodeScalars.first else { return false }
        return Int(vm_wcwidth(wchar_t(bitPattern: first.value))) == columns
    }

    private func put(_ character: Character, x: Int, y: Int, style: Style) {
        var count = 0
        for scalar in character.unicodeScalars where count < cellCharacters.count - 1 {
            cellCharacters[count] = wchar_t(bitPattern: scalar.value)
            count += 1
        }
        cellCharacters[count] = 0
        if style != lastStyle.style {
            let (attributes, pair) = attributes(for: style)
            lastStyle = (style, attributes, pair)
        }
        let (attributes, pair) = (lastStyle.attributes, lastStyle.pair)
        _ = cellCharacters.withUnsafeBufferPointer { buffer in
            // Fails harmlessly in the bottom-right cell (the cursor cannot advance); the cell is still written.
            vm_put_cell(window, Int32(y), Int32(x), buffer.baseAddress, attributes, pair)
        }
    }

    private func attributes(for style: Style) -> (attr_t, Int16) {
        let look = palette.look(for: style)
        var attributes = vm_a_normal()
        if look.bold { attributes |= vm_a_bold() }
        if look.reverse { attributes |= vm_a_reverse() }
        if look.underline { attributes |= vm_a_underline() }
        if look.dim { attributes |= vm_a_dim() }
        return (attributes, look.color.flatMap { colorPairs[$0] } ?? 0)
    }

    private func setCursorVisibility(_ visibility: Int32) {
        guard visibility != cursorVisible else { return }
        curs_set(visibility)
        cursorVisible = visibility
    }

    /// Whether a SIGTSTP arrived from outside since the last call.
    func takePendingSuspend() -> Bool {
        TerminalSignals.suspendPending.exchange(false, ordering: .relaxed)
    }

    /// Ctrl-Z: gives the terminal back (endwin), stops the job, and when the shell's `fg` continues it,
    /// drops whatever was typed meanwhile, takes the terminal again and makes the next paint redraw everything.
    func suspend() {
        guard !stopped else { return }
        curs_set(1)
        cursorVisible = -1
        endwin()
        TerminalSignals.terminalActive.store(false, ordering: .sequentiallyConsistent)
        // Stop as the default action would, the whole job at once; our handler is back on resume.
        var byDefault = sigaction()
        sigemptyset(&byDefault.sa_mask)
        sigaction(SIGTSTP, &byDefault, nil)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGTSTP)
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        kill(0, SIGTSTP)
        // Continued.
        TerminalSignals.installSuspendHandler()
        tcflush(STDIN_FILENO, TCIFLUSH)
        TerminalSignals.terminalActive.store(true, ordering: .sequentiallyConsistent)
        wrefresh(window)  // back into curses mode
        clearok(window, true)
        lastStyle = (.plain, 0, 0)
    }

    /// Gives the terminal back (endwin); safe to call more than once.
    func stop() {
        guard !stopped else { return }
        stopped = true
        curs_set(1)
        TerminalSignals.terminalActive.store(false, ordering: .sequentiallyConsistent)
        endwin()
    }
}

/// The terminal could not be opened, or cannot draw the wizard.
struct TerminalError: Error {
    var message: String

    /// The one refusal for every terminal the wizard cannot use (unknown, dumb, hardcopy, no terminfo).
    static func refusal(_ reason: String) -> TerminalError {
        TerminalError(message: "vejamigrate-tui cannot use this terminal: \(reason); run it in one that can move the cursor (e.g. TERM=xterm-256color), or for scripts use `vejamigrate new --spec FILE`")
    }
}

/// Curses key codes to the wizard's keys.
enum KeyTranslation {
    /// A character from `wget_wch` (it returned OK): control codes, then printable text.
    static func character(_ code: UInt32) -> Key? {
        switch code {
        case 8, 127: return .backspace
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 1...26:
            return .control(Character(Unicode.Scalar(UInt8(code) + UInt8(ascii: "a") - 1)))
        case 0..<32, 128..<160: return nil
        default:
            return Unicode.Scalar(code).map { .character(Character($0)) }
        }
    }

    /// A function-key code from `wget_wch` (it returned KEY_CODE_YES).
    static func keyCode(_ code: Int32) -> Key? {
        switch code {
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME, KEY_FIND: return .home  // some terminals send Find/Select for Home/End
        case KEY_END, KEY_SELECT: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_DC: return .delete
        case vm_key_f(1)...vm_key_f(63): return .function(Int(code - vm_key_f0()))
        default: return nil
        }
    }
}

/// Signal handling for the terminal: a flag for the polite signals, endwin-then-crash for the fatal ones.
///
/// Handlers only store into atomics (and, for a crash, call endwin where that is still possible);
/// the main loop sees `pending` within one input timeout.
enum TerminalSignals {
    static let pending = Atomic<Int32>(0)
    static let terminalActive = Atomic<Bool>(false)
    /// A SIGTSTP sent from outside: the loop suspends as for Ctrl-Z (raw mode makes Ctrl-Z a key).
    static let suspendPending = Atomic<Bool>(false)

    /// Our SIGTSTP handler only flags it; installed before newterm, so ncurses does not add its own.
    static func installSuspendHandler() {
        _ = suspendPending.load(ordering: .relaxed)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            TerminalSignals.suspendPending.store(true, ordering: .relaxed)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGTSTP, &action, nil)
    }
    static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    static let fatalSignals: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP]
    /// The handlers replaced for the fatal signals (the Swift runtime's backtracer, usually), by signal number.
    nonisolated(unsafe) private static let previous: UnsafeMutablePointer<sigaction> = {
        let storage = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        storage.initialize(repeating: sigaction(), count: 65)
        return storage
    }()

    static func install() {
        // Touch the lazily initialised statics now, not first inside a handler.
        _ = pending.load(ordering: .relaxed)
        _ = terminalActive.load(ordering: .relaxed)
        let previousActions = previous

        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in stopSignals + [SIGWINCH] { sigaddset(&unblock, signal) }
        // A parent can hand down a blocked mask (swift-corelibs-foundation's Process did).
        sigprocmask(SIG_UNBLOCK, &unblock, nil)

        installSuspendHandler()
        for signal in stopSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                TerminalSignals.pending.store(signal, ordering: .relaxed)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0  // no SA_RESTART: a signal wakes the input wait early
            sigaction(signal, &action, nil)
        }
        for signal in fatalSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = { signal, info, context in
                if TerminalSignals.terminalActive.exchange(false, ordering: .sequentiallyConsistent) {
                    endwin()
                }
                // The handler we replaced (the Swift runtime's backtracer) prints its report on the restored
                // terminal. It returns expecting the fault to recur, which a sent signal never does, so the
                // default action is raised here; it lands when this handler returns.
                let replaced = TerminalSignals.previous[Int(signal)]
                if replaced.sa_flags & SA_SIGINFO != 0 {
                    replaced.__sigaction_handler.sa_sigaction?(signal, info, context)
                } else if let handler = replaced.__sigaction_handler.sa_handler,
                          unsafeBitCast(handler, to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self) {
                    handler(signal)
                }
                var byDefault = sigaction()
                sigemptyset(&byDefault.sa_mask)
                sigaction(signal, &byDefault, nil)
                raise(signal)
            }
            sigemptyset(&action.sa_mask)
            // On the alternate stack when there is one: a stack overflow must still reach endwin.
            action.sa_flags = SA_SIGINFO | SA_ONSTACK
            sigaction(signal, &action, previousActions + Int(signal))
        }
    }
}
