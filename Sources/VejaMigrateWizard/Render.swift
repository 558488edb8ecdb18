import VejaMigrateCore

/// Drawing: a pure function from the model and a size to a screen of cells.
extension WizardModel {
    static let titleStyle = Style(reverse: true)
    static let heading = Style(bold: true)
    static let focusStyle = Style(foreground: .cyan, bold: true, reverse: true)
    static let errorStyle = Style(foreground: .red, bold: true)
    static let dimStyle = Style(foreground: .gray, dim: true)
    static let okStyle = Style(foreground: .green, bold: true)
    static let warnStyle = Style(foreground: .yellow, bold: true)
    static let fieldStyle = Style(underline: true)

    /// The whole screen at the model's size.
    public func render() -> Screen { render(size: size) }

    /// The whole screen at `size`.
    public func render(size: Size) -> Screen {
        var screen = Screen(size: size)
        guard size.width >= WizardModel.minimumSize.width, size.height >= WizardModel.minimumSize.height else {
            drawTooSmall(&screen)
            return screen
        }
        // The final screen is the path and the reminders, full width, so they read (and copy) whole.
        let layout = self.layout(for: size)
        drawTitle(&screen)
        drawForm(&screen, width: layout.formWidth, height: size.height - 3 - layout.statusRows)
        do {
            for y in 2..<(size.height - 1 - layout.statusRows) { screen.put("│", x: layout.formWidth, y: y, style: WizardModel.dimStyle) }
            drawPreview(&screen, x: layout.previewX, width: layout.previewWidth, bottom: size.height - 1 - layout.statusRows)
        }
        drawStatus(&screen, rows: layout.statusRows)
        drawFooter(&screen)
        switch state.overlay {
        case .help: drawHelp(&screen)
        case .confirmQuit: drawConfirmQuit(&screen)
        case .confirmDelete(let question):
            drawBox(&screen, title: "Delete?", lines: [(question, .plain), ("", .plain), ("y delete    n keep", WizardModel.heading)])
        case .resumeDraft(let summary):
            // Wrapped, not clipped: a long description is read whole before choosing.
            drawBox(&screen, title: "Resume?", lines: wrap(summary, size.width - 8).map { ($0, Style.plain) } + [
                ("", .plain), ("r resume    n start fresh", WizardModel.heading),
            ])
        case .none: break
        }
        return screen
    }

    private func drawTooSmall(_ screen: inout Screen) {
        let s = screen.size
        let lines = [
            "Terminal too small: \(s.width)x\(s.height).",
            "vejamigrate-tui needs at least \(WizardModel.minimumSize.width)x\(WizardModel.minimumSize.height).",
            "Enlarge the window, or press Ctrl-C to quit.",
        ]
        let rows = lines.enumerated().flatMap { i, line in wrap(line, s.width).map { (i, $0) } }
        for (k, (i, line)) in rows.enumerated() {
            let y = max(0, s.height / 2 - rows.count / 2) + k
            let x = max(0, (s.width - DisplayWidth.of(line)) / 2)
            screen.put(line, x: x, y: y, style: i == 0 ? WizardModel.warnStyle : .plain)
        }
    }

    private func drawTitle(_ screen: inout Screen) {
        let w = screen.size.width
        screen.fill(x: 0, y: 0, width: w, height: 1, style: WizardModel.titleStyle)
        screen.put(" vejamigrate · new migration", x: 0, y: 0, style: Style(bold: true, reverse: true))
        // A long directory keeps its end (the versions folder): shortened from the left.
        let right = shortenedFromLeft(directoryLabel, max(1, w - 31)) + " "
        screen.put(right, x: max(30, w - DisplayWidth.of(right)), y: 0, style: WizardModel.titleStyle)
        // Breadcrumb of the steps this operation walks.
        let steps = state.step == .done ? state.steps + [.done] : state.steps
        let long = steps.enumerated().map { "\($0.offset + 1) \(title(of: $0.element))" }.joined(separator: " › ")
        let useShort = DisplayWidth.of(long) + 1 > w
        var x = 1
        for (i, step) in steps.enumerated() {
            if i > 0 { x += screen.put(" › ", x: x, y: 1, style: WizardModel.dimStyle) }
            let label = "\(i + 1) " + (useShort ? step.shortTitle : title(of: step))
            let current = step == state.step
            let bad = state.attempted.contains(step) && !issues(on: step).isEmpty && step != .review
            let style = current ? Style(foreground: .cyan, bold: true, underline: true) : bad ? Style(foreground: .red) : WizardModel.dimStyle
            x += screen.put(label, x: x, y: 1, style: style)
        }
    }

    /// One drawn line of the form, and whether it belongs to the focused field.
    private struct FormLine {
        var spans: [Span]
        var focused: Bool
        var cursorX: Int?
    }

    private func drawForm(_ screen: inout Screen, width: Int, height: Int) {
        let top = 2
        let inner = width - 2
        var lines: [FormLine] = []
        let n = state.steps.firstIndex(of: state.step).map { $0 + 1 }
        var title = (n.map { "\($0). " } ?? "") + self.title(of: state.step)
        if let i = state.editingColumn, state.step == .columns { title += " › column \(i + 1 + state.presetCount)" }
        if let i = state.editingForeignKey, state.step == .foreignKeys { title += " › " + FieldPath.columnName(i, self) }
        lines.append(FormLine(spans: [Span(text: title, style: WizardModel.heading)], focused: false))
        // With several operations, which one these steps answer.
        let count = state.answered.count + (state.operation == .empty ? 1 : 0)
        if count > 1, state.step != .description, state.step != .review, state.step != .done {
            let k = (currentOperation ?? count - 1) + 1
            lines.append(FormLine(spans: [Span(text: "Operation \(k) of \(count) (Review lists them)", style: WizardModel.dimStyle)], focused: false))
        }
        lines.append(FormLine(spans: [], focused: false))
        if state.step == .done {
            for l in doneLines(width: inner) { lines.append(l) }
        }
        let stepIssues = issues.filter { issueField($0) != nil && isShown($0, on: state.step) }
        for field in fields {
            let focused = field.id != nil && field.id == state.focus
            let own = field.id.map { id in stepIssues.filter { issueField($0) == id } } ?? []
            switch field.kind {
            case .text(let value) where !field.enabled:
                // Disabled: in its place, dimmed, with nothing to type in.
                lines.append(FormLine(spans: [Span(text: field.label + " (n/a)", style: focused ? WizardModel.focusStyle : WizardModel.dimStyle)], focused: focused))
                lines.append(FormLine(spans: [Span(text: " " + value, style: WizardModel.dimStyle)], focused: focused))
            case .text(let value):
                lines.append(FormLine(spans: [Span(text: field.label, style: focused ? WizardModel.heading : .plain)], focused: focused))
                let box = inner - 2
                var shown = value
                var cursor = state.cursor
                let chars = Array(value)
                if focused, DisplayWidth.of(value) >= box {
                    // Keep the cursor in view: show the window of text that ends at it.
                    var start = 0
                    while DisplayWidth.of(String(chars[start..<min(cursor, chars.count)])) >= box { start += 1 }
                    shown = String(chars[start...])
                    cursor -= start
                }
                let style = focused ? Style(foreground: .cyan, underline: true) : WizardModel.fieldStyle
                var padded = shown
                while DisplayWidth.of(padded) < box { padded += " " }
                let cx = focused ? 2 + DisplayWidth.of(String(Array(shown).prefix(max(0, cursor)))) : nil
                lines.append(FormLine(spans: [Span(text: " ", style: .plain), Span(text: clip(padded, box), style: style)], focused: focused, cursorX: cx))
            case .toggle(let on):
                let mark = !field.enabled ? "[-] " : on ? "[x] " : "[ ] "
                let idle = field.enabled ? Style.plain : WizardModel.dimStyle
                for (k, piece) in wrap(field.label, inner - 4).enumerated() {
                    let box = k == 0 ? mark : "    "
                    lines.append(FormLine(spans: [Span(text: box + piece, style: focused ? WizardModel.focusStyle : idle)], focused: focused))
                }
            case .choice(let options, let index):
                let label = field.label + ": "
                let value = "‹ " + options[index] + " ›"
                let valueStyle = focused ? WizardModel.focusStyle : WizardModel.fieldStyle
                if DisplayWidth.of(label) + DisplayWidth.of(value) <= inner {
                    lines.append(FormLine(spans: [
                        Span(text: label, style: focused ? WizardModel.heading : .plain),
                        Span(text: value, style: valueStyle),
                    ], focused: focused))
                } else {
                    // Too long for one row: the label, then the value below it, wrapped, never cut.
                    for piece in wrap(field.label + ":", inner) {
                        lines.append(FormLine(spans: [Span(text: piece, style: focused ? WizardModel.heading : .plain)], focused: focused))
                    }
                    for piece in wrap(value, inner - 1) {
                        lines.append(FormLine(spans: [Span(text: " ", style: .plain), Span(text: piece, style: valueStyle)], focused: focused))
                    }
                }
            case .row(let text):
                // A row is marked when a problem sits on it; the review's rows are problems themselves.
                var isProblem = false
                if case .issue = field.id { isProblem = true }
                if case .operationRow(let k) = field.id { isProblem = issues.contains { FieldPath.operationIndex($0.field, model: self) == k } }
                let marker = own.isEmpty && !isProblem ? "  " : "✗ "
                let markerStyle = marker == "  " ? Style.plain : WizardModel.errorStyle
                // Rows wrap (under their first line) rather than lose their end.
                let pieces = wrap(text, inner - 2)
                for (k, piece) in pieces.enumerated() {
                    lines.append(FormLine(spans: [
                        Span(text: k == 0 ? marker : "  ", style: markerStyle),
                        Span(text: piece.padded(to: focused ? inner - 2 : 0), style: focused ? WizardModel.focusStyle : .plain),
                    ], focused: focused))
                }
            case .button(let label):
                let disabled = field.id == .write && !issues.isEmpty
                let text = "[ " + label + " ]"
                lines.append(FormLine(spans: [Span(text: text, style: focused ? WizardModel.focusStyle : disabled ? WizardModel.dimStyle : WizardModel.heading)], focused: focused))
            case .note(let text):
                for piece in wrap(text, inner) {
                    lines.append(FormLine(spans: [Span(text: piece, style: WizardModel.dimStyle)], focused: false))
                }
            }
            if case .row = field.kind {} else {
                for issue in own {
                    // " ✗ " then the problem, continuation rows under its first letter: every row fits `inner`.
                    for (k, piece) in wrap(issue.problem, inner - 3).enumerated() {
                        lines.append(FormLine(spans: [Span(text: (k == 0 ? " ✗ " : "   ") + piece, style: WizardModel.errorStyle)], focused: focused))
                    }
                }
            }
        }
        // Scroll so the focused field is in view.
        let lastFocused = lines.lastIndex { $0.focused } ?? 0
        let firstFocused = lines.firstIndex { $0.focused } ?? 0
        var start = 0
        if lastFocused >= height { start = min(firstFocused, lastFocused - height + 1) }
        for (row, line) in lines.dropFirst(start).prefix(height).enumerated() {
            var x = 1
            for span in line.spans { x += screen.put(span.text, x: x, y: top + row, style: span.style, maxWidth: width - x) }
            if let cx = line.cursorX, state.overlay == .none { screen.cursor = (cx, top + row) }
        }
        if start > 0 { screen.put("↑", x: width - 1, y: top, style: WizardModel.dimStyle) }
        if lines.count - start > height { screen.put("↓", x: width - 1, y: top + height - 1, style: WizardModel.dimStyle) }
    }

    /// The done screen's head: what was written and the seed's reminders (the file itself is in the right pane).
    private func doneLines(width: Int) -> [FormLine] {
        var out = wrap("✓ Migration written (on the right):", width).map { FormLine(spans: [Span(text: $0, style: WizardModel.okStyle)], focused: false) }
        let lines = (exitMessage ?? "").split(separator: "\n").map(String.init).filter { !$0.hasPrefix("Spec saved: ") }
        for line in lines {
            for piece in wrap(line, width) { out.append(FormLine(spans: [Span(text: piece, style: .plain)], focused: false)) }
        }
        for piece in wrap("(/test and /deploy are VejaPRO team commands; printed again at quit.)", width) {
            out.append(FormLine(spans: [Span(text: piece, style: WizardModel.dimStyle)], focused: false))
        }
        out.append(FormLine(spans: [], focused: false))
        for (text, style) in verifyLines() {
            for piece in wrap(text, width) { out.append(FormLine(spans: [Span(text: piece, style: style)], focused: false)) }
        }
        return out
    }

    /// The verification as it runs: one line a step (`[2/7] upgrade to ... ok (0.4 s)`), the
    /// failing step's error, the end. Before it runs, nothing: the footer offers `v verify`.
    func verifyLines() -> [(String, Style)] {
        if verifyEvents.isEmpty { return [] }
        var out: [(String, Style)] = [("Verify:", WizardModel.heading)]
        for event in verifyEvents {
            switch event {
            case .note(let text):
                out.append((text, WizardModel.dimStyle))
            case .stepStarted(let i, let total, let title):
                out.append(("[\(i + 1)/\(total)] \(title) ...", .plain))
            case .stepFinished(let i, let total, let title, let seconds, let outcome):
                // Replaces its "started" line.
                if let last = out.last, last.0.hasPrefix("[\(i + 1)/\(total)] ") { out.removeLast() }
                let style: Style
                switch outcome {
                case .ok: style = .plain
                case .warnings: style = WizardModel.dimStyle
                case .failed: style = WizardModel.errorStyle
                }
                out.append(("[\(i + 1)/\(total)] \(title) ... \(outcome.word) (\(String(format: "%.1f", seconds)) s)", style))
                if case .failed(let text) = outcome {
                    out += text.split(separator: "\n").prefix(8).map { ("  " + $0, WizardModel.errorStyle) }
                }
            case .finished(let result):
                if result.passed {
                    let warned = result.staticDifferences.isEmpty ? "" : " (\(result.staticDifferences.count) warning(s) about the static reader: run vejamigrate verify for them)"
                    out.append(("✓ verified: upgrade, downgrade, upgrade again" + warned, WizardModel.okStyle))
                } else if result.failure == .interrupted {
                    out.append(("verify interrupted", WizardModel.errorStyle))
                } else {
                    out.append(("✗ verify failed (vejamigrate verify shows the same)", WizardModel.errorStyle))
                }
            case .stopped(let problem):
                out.append(("✗ verify could not start: " + problem.message, WizardModel.errorStyle))
            }
        }
        out.append(("", .plain))
        return out
    }

    /// The field an issue is shown under, on the current step.
    func issueField(_ issue: SpecIssue) -> FieldID? {
        let (step, field, column) = FieldPath.location(issue.field, model: self)
        // The column editor also edits enum values and their default: show those problems there too.
        if state.step == .columns, let editing = state.editingColumn, step == .enums,
           FieldPath.columnIndex(issue.field, model: self) == editing {
            return issue.field.hasSuffix(".default") ? .columnDefault : .columnEnum
        }
        guard step == state.step else { return nil }
        if step == .columns, let column, state.editingColumn != column { return .columnRow(column) }
        if step == .foreignKeys, let column, state.editingForeignKey != column { return .fkRow(column) }
        if step == .columns, state.editingColumn != nil, column == nil { return nil }
        return field
    }

    private func drawPreview(_ screen: inout Screen, x: Int, width: Int, bottom: Int) {
        let top = 2
        let tabs: [(String, PreviewTab)] = [(" Python ", .python), (" SQL ", .sql)]
        var tx = x + 1
        for (label, tab) in tabs {
            tx += screen.put(label, x: tx, y: top, style: state.previewTab == tab ? Style(bold: true, reverse: true) : WizardModel.dimStyle)
            tx += 1
        }
        screen.put("F2 switches", x: tx + 1, y: top, style: WizardModel.dimStyle, maxWidth: max(0, x + width - tx - 1))
        // The revision is on the next row: a long name keeps its end, shortened from the left.
        screen.put(shortenedFromLeft(preview.fileName, width - 1), x: x + 1, y: top + 1, style: WizardModel.heading, maxWidth: width - 1)
        var info = "\(preview.revision) ← " + (preview.downRevisions.isEmpty ? "None" : preview.downRevisions.joined(separator: ", "))
        if graph.heads.count > 1 { info += "  (\(graph.heads.count) heads: choose on Review)" }
        screen.put(info, x: x + 1, y: top + 2, style: WizardModel.dimStyle, maxWidth: width - 1)
        let problems = issues.count
        let status = problems == 0 ? "✓ ready" : "✗ \(problems) to fix · F10 lists"
        let rule = String(repeating: "─", count: max(0, width - DisplayWidth.of(status) - 2))
        screen.put(rule, x: x, y: top + 3, style: WizardModel.dimStyle)
        screen.put(status + " ", x: x + DisplayWidth.of(rule), y: top + 3, style: problems == 0 ? WizardModel.okStyle : WizardModel.errorStyle)
        let lines = previewLines
        let first = previewTop
        var y = top + 4
        var index = first
        // Long lines wrap at spaces, so nothing the file says is hidden; continuation rows start with ↪.
        let limit = x + width - 1
        while y < bottom, index < lines.count {
            let line = lines[index]
            let rows = WizardModel.wrapPoints(Array(line.text), first: limit - (x + 1), rest: limit - (x + 3))
            var spanIndex = 0
            var offset = 0  // characters of the current span already drawn
            for (r, count) in rows.enumerated() {
                guard y < bottom else { break }
                var cx = x + 1
                if r > 0 { cx += screen.put("↪ ", x: cx, y: y, style: WizardModel.dimStyle) }
                var remaining = count
                while remaining > 0, spanIndex < line.spans.count {
                    let span = Array(line.spans[spanIndex].text)
                    let take = min(remaining, span.count - offset)
                    cx += screen.put(String(span[offset..<(offset + take)]), x: cx, y: y, style: line.spans[spanIndex].style)
                    offset += take
                    remaining -= take
                    if offset == span.count { spanIndex += 1; offset = 0 }
                }
                y += 1
            }
            index += 1
        }
        // The scroll marks sit on the pane's rule, never over a line of the file.
        var mx = x + 1
        if first > 0 { mx += screen.put("↑ PgUp", x: mx, y: top + 3, style: WizardModel.dimStyle) + 1 }
        if index < lines.count { screen.put("↓ PgDn", x: mx, y: top + 3, style: WizardModel.dimStyle) }
    }

    /// How many characters go on each row when a line wraps: greedy, breaking after a space
    /// when one is in the second half of the row, else at the edge.
    static func wrapPoints(_ chars: [Character], first: Int, rest: Int) -> [Int] {
        var rows: [Int] = []
        var start = 0
        while start < chars.count {
            let avail = max(1, rows.isEmpty ? first : rest)
            var w = 0
            var end = start
            while end < chars.count, w + DisplayWidth.of(chars[end]) <= avail {
                w += DisplayWidth.of(chars[end])
                end += 1
            }
            if end == start { end = start + 1 }
            // Break after a space, else after `(`, `[`, `,` or `=`, else after a dot, whichever is in the
            // second half of the row (`batch_alter_table(` / `"projects")`, not `..."projec` / `ts")`).
            if end < chars.count {
                let row = chars[start..<end]
                let half = start + avail / 2
                let cut = [row.lastIndex(of: " "), row.lastIndex { "([,=".contains($0) }, row.lastIndex(of: ".")]
                    .compactMap { $0 }.first { $0 + 1 > half }
                if let cut { end = cut + 1 }
            }
            rows.append(end - start)
            start = end
        }
        return rows.isEmpty ? [0] : rows
    }

    private func drawStatus(_ screen: inout Screen, rows: Int) {
        let y0 = screen.size.height - 1 - rows
        let style = state.flash != nil ? WizardModel.errorStyle : WizardModel.dimStyle
        for (k, line) in statusLines(width: screen.size.width).enumerated() {
            screen.put(" " + line, x: 0, y: y0 + k, style: style)
        }
    }

    private func drawFooter(_ screen: inout Screen) {
        let y = screen.size.height - 1
        screen.fill(x: 0, y: y, width: screen.size.width, height: 1, style: WizardModel.titleStyle)
        var x = 0
        let items = KeyMap.footer(focus: focusedKind, width: screen.size.width, steps: state.steps.count, applies: applies)
        for (label, help) in items {
            let item = " \(label) \(help) "
            if x + DisplayWidth.of(item) > screen.size.width { break }
            screen.put(" " + label, x: x, y: y, style: Style(bold: true, reverse: true))
            screen.put(" " + help + " ", x: x + 1 + DisplayWidth.of(label), y: y, style: WizardModel.titleStyle)
            x += DisplayWidth.of(item)
        }
    }

    private func drawBox(_ screen: inout Screen, title: String, lines: [(String, Style)]) {
        let w = min(screen.size.width - 4, max(DisplayWidth.of(title) + 6, (lines.map { DisplayWidth.of($0.0) }.max() ?? 0) + 4))
        let h = min(screen.size.height - 2, lines.count + 2)
        let x0 = (screen.size.width - w) / 2
        let y0 = (screen.size.height - h) / 2
        screen.fill(x: x0, y: y0, width: w, height: h, style: .plain)
        screen.put("┌" + String(repeating: "─", count: w - 2) + "┐", x: x0, y: y0)
        screen.put(" " + title + " ", x: x0 + 2, y: y0, style: WizardModel.heading)
        for row in 1..<(h - 1) {
            screen.put("│", x: x0, y: y0 + row)
            screen.put("│", x: x0 + w - 1, y: y0 + row)
            if row - 1 < lines.count {
                screen.put(lines[row - 1].0, x: x0 + 2, y: y0 + row, style: lines[row - 1].1, maxWidth: w - 4)
            }
        }
        screen.put("└" + String(repeating: "─", count: w - 2) + "┘", x: x0, y: y0 + h - 1)
        screen.cursor = nil
    }

    private func drawHelp(_ screen: inout Screen) {
        var entries: [(keys: String, help: String)] = []
        var seen = Set<String>()
        for b in KeyMap.bindings where seen.insert(b.label + b.help).inserted {
            // A run of keys (1 to 9) reads better as its footer label.
            entries.append((b.keys.count > 3 ? b.label(steps: state.steps.count) : b.keys.map(KeyMap.name).joined(separator: ", "), b.help))
        }
        let inner = screen.size.width - 8  // the box's text width at most
        /// An entry in a column `width` wide: the help wraps under itself, never cut.
        func rows(_ e: (keys: String, help: String), width: Int) -> [String] {
            wrap(e.help, max(8, width - 14)).enumerated().map { ($0.offset == 0 ? e.keys : "").padded(to: 14) + $0.element }
        }
        // Two columns when one does not fit the screen.
        let room = screen.size.height - 6
        var lines: [(String, Style)] = []
        if entries.count <= room {
            lines = entries.flatMap { rows($0, width: inner) }.map { ($0, .plain) }
        } else {
            let half = (entries.count + 1) / 2
            let colWidth = (inner - 2) / 2
            for i in 0..<half {
                let left = rows(entries[i], width: colWidth)
                let right = i + half < entries.count ? rows(entries[i + half], width: colWidth) : []
                for k in 0..<max(left.count, right.count) {
                    let l = k < left.count ? left[k] : ""
                    lines.append((l.padded(to: colWidth + 2) + (k < right.count ? right[k] : ""), .plain))
                }
            }
        }
        lines.append(("", .plain))
        lines.append(("Any key closes this help.", WizardModel.dimStyle))
        drawBox(&screen, title: "Keys", lines: lines)
    }

    private func drawConfirmQuit(_ screen: inout Screen) {
        drawBox(&screen, title: "Quit?", lines: [
            ("Quit without writing the migration?", .plain),
            ("Your answers are kept as a draft for the next start.", WizardModel.dimStyle),
            ("", .plain),
            ("y quit    n stay", WizardModel.heading),
        ])
    }

    private func clip(_ text: String, _ width: Int) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        var out = ""
        for ch in text {
            if DisplayWidth.of(out) + DisplayWidth.of(ch) > width - 1 { break }
            out.append(ch)
        }
        return out + "…"
    }

    /// Where a word too long for a row breaks, in characters: after the last `/` that fits, so a path
    /// keeps every name whole; else before its closing punctuation when the rest fits (a file name
    /// and its "`."); else after a file name's revision when its slug fits; else after the last `_`
    /// or `-`; else at the edge.
    static func breakLength(_ word: [Character], _ width: Int) -> Int {
        var fit = 0
        var w = 0
        while fit < word.count, w + DisplayWidth.of(word[fit]) <= width {
            w += DisplayWidth.of(word[fit])
            fit += 1
        }
        guard fit > 0 else { return 1 }
        if let slash = word[..<fit].lastIndex(of: "/"), slash > 0 { return slash + 1 }
        var end = word.count
        while end > 0, "`.,;:)'\"".contains(word[end - 1]) { end -= 1 }
        if end < word.count, end > 0, end <= fit { return end }
        // A migration's file name breaks after its revision when its slug then fits whole.
        // (`YYYYMMDD_NNNNNN_`: the second `_`, after digits only).
        let underscores = word.indices.filter { word[$0] == "_" }
        if underscores.count >= 2, case let revision = underscores[1] + 1, revision <= fit,
           word[..<underscores[1]].allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }),
           DisplayWidth.of(String(word[revision...])) <= width {
            return revision
        }
        if let cut = word[..<fit].lastIndex(where: { $0 == "_" || $0 == "-" }), cut > 0 { return cut + 1 }
        return fit
    }

    /// `text` in `width` columns: whole when it fits, else `…` and its end.
    func shortenedFromLeft(_ text: String, _ width: Int) -> String {
        guard DisplayWidth.of(text) > width, width > 1 else { return text }
        var tail: [Character] = []
        for ch in text.reversed() {
            if DisplayWidth.of(String(tail)) + DisplayWidth.of(ch) > width - 1 { break }
            tail.insert(ch, at: 0)
        }
        return "…" + String(tail)
    }

    /// Word-wraps text to `width` columns.
    func wrap(_ text: String, _ width: Int) -> [String] {
        guard width > 0 else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if DisplayWidth.of(candidate) <= width {
                current = candidate
            } else {
                if !current.isEmpty { lines.append(current) }
                current = String(word)
                while DisplayWidth.of(current) > width {
                    let n = WizardModel.breakLength(Array(current), width)
                    lines.append(String(current.prefix(n)))
                    current = String(current.dropFirst(n))
                }
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}

extension KeyMap {
    /// A key's name for the help screen.
    static func name(_ key: Key) -> String {
        switch key {
        case .character(" "): return "Space"
        case .character(let c): return String(c)
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .function(let n): return "F\(n)"
        case .control(let c): return "Ctrl-" + c.uppercased()
        case .alt(let c): return "Alt-" + String(c)
        }
    }
}
