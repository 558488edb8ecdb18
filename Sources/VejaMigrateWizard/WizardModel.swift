import Foundation
import VejaMigrateCore

/// The wizard as a pure model: `update` turns a message into a new state and
/// an effect; `render` turns the state into a screen. No terminal, no files.
public struct WizardModel: Sendable {
    public private(set) var state = WizardState()
    /// The history the preview and the write are based on.
    public private(set) var graph: RevisionGraph {
        didSet { historyFixes = WizardModel.fixes(graph) }
    }
    /// The fix of each of `graph.problems`, in order (the command that fixes it, or what to edit).
    public private(set) var historyFixes: [HistoryFix] = []
    /// The tables the history has, for checks and suggestions; nil when only headers were read.
    public private(set) var schema: HistorySchema?
    /// What the history cannot confirm (tables touched by raw SQL): shown, but the write goes ahead.
    public private(set) var warnings: [SpecIssue] = []
    public let date: MigrationDate
    /// The versions directory as shown to the user (with the configuration file it came from, if any).
    public let directoryLabel: String
    /// The project's line length (`ProjectSettings`): the preview is the file as written.
    public let lineLength: Int
    /// Whether changes are lock-safe unless turned off (`[tool.vejamigrate] safe`): Review's toggle starts there.
    public let safeByDefault: Bool
    public private(set) var size = Size(width: 80, height: 24)

    /// Derived on every change, so rendering only paints.
    public private(set) var spec = MigrationSpec()
    public private(set) var issues: [SpecIssue] = []
    public private(set) var preview = Preview.empty
    /// Screen rows each preview line takes at the current width.
    private(set) var previewRowCounts: [Int] = []
    /// The plan of the whole migration, as `vejamigrate new --spec` makes it.
    public private(set) var plan = MigrationPlan(operations: [])
    /// The index of the operation being answered in `spec.operations` (nil: an empty one).
    public private(set) var currentOperation: Int?
    /// What the final screen and the shell show after a write.
    public private(set) var exitMessage: String?
    /// The written file's path, once written.
    public private(set) var writtenPath: String?
    /// What the status area says (see `makeStatusText`), made once per change.
    private(set) var statusText = ""
    /// The written file's text, shown on the done screen for review.
    public private(set) var writtenText: String?
    /// What `verify` has reported so far on the done screen, in order (empty: not run).
    public private(set) var verifyEvents: [VerifyEvent] = []
    /// A verification is running (the driver's background thread): `v` does nothing meanwhile.
    public private(set) var isVerifying = false

    /// True until the history read in the background arrives (`.historyRead`): the preview says so,
    /// and nothing can be written, since the parent and the sequence are not known yet.
    public private(set) var isReadingHistory = false

    /// The smallest terminal the wizard draws in.
    public static let minimumSize = Size(width: 80, height: 24)

    public init(
        graph: RevisionGraph, schema: HistorySchema? = nil, date: MigrationDate, directoryLabel: String, readingHistory: Bool = false,
        lineLength: Int = MigrationRenderer.defaultLineLength, safeByDefault: Bool = true
    ) {
        self.graph = graph
        self.historyFixes = WizardModel.fixes(graph)
        self.schema = schema
        self.date = date
        self.directoryLabel = directoryLabel
        self.isReadingHistory = readingHistory
        self.lineLength = lineLength
        self.safeByDefault = safeByDefault
        state.safe = safeByDefault
        refresh()
    }

    public init(context: WizardContext) {
        self.init(
            graph: context.graph, schema: context.historyPending ? nil : context.history.schema, date: context.date,
            directoryLabel: context.directoryLabel, readingHistory: context.historyPending,
            lineLength: context.settings.lineLength, safeByDefault: context.settings.safe)
    }

    private static func fixes(_ graph: RevisionGraph) -> [HistoryFix] { graph.problems.map(graph.fix(for:)) }

    /// The fix of one of `graph.problems`.
    func fix(for problem: HistoryProblem) -> HistoryFix? {
        graph.problems.firstIndex(of: problem).map { historyFixes[$0] }
    }

    /// Whether the user has typed anything worth asking about before quitting.
    public var hasUnsavedWork: Bool {
        writtenPath == nil && (state.description != "" || state.details != "" || state.table != TableDraft() || state.operation != .createTable
            || state.change != ChangeDraft() || !state.earlier.isEmpty || !state.later.isEmpty || state.safe != safeByDefault)
    }

    /// The draft offered on the first screen, until the user resumes it or starts fresh.
    public private(set) var offeredDraft: SessionDraft?

    /// What to keep as a draft (docs/wizard.md, "Drafts"): nil when there is nothing to keep (nothing
    /// typed, or the migration is written) or while a kept draft is still being offered.
    public var draftAnswers: SessionAnswers? {
        guard offeredDraft == nil, hasUnsavedWork, state.step != .done else { return nil }
        return state.answers
    }

    /// Shows the draft kept from an earlier session: `r` resumes it, `n` starts fresh.
    public mutating func offer(_ draft: SessionDraft) {
        offeredDraft = draft
        state.overlay = .resumeDraft(draft.summary())
        refresh()
    }

    /// A one-line message in the status area (a draft set aside, say), until the next key.
    public mutating func show(_ message: String) {
        state.flash = message
        refresh()
    }

    /// Puts the answers back and opens the step they were on. They are checked against the history
    /// as it is now, like typed ones: a table dropped since shows its error at its field.
    public mutating func resume(_ answers: SessionAnswers) {
        state.description = answers.description
        state.details = answers.details
        state.earlier = answers.earlier
        state.current = answers.current
        state.later = answers.later
        state.safe = answers.safe
        state.chosenHead = max(0, answers.chosenHead)
        state.intentDraft = answers.intentDraft
        state.editingColumn = nil
        state.editingForeignKey = nil
        // Every step was left once, so empty required fields show their errors as they would have.
        state.attempted = Set(state.steps.prefix { $0 != answers.step })
        // Straight to the step: leaving the description must not fill the answers from its words again.
        state.step = state.steps.contains(answers.step) ? answers.step : .description
        refresh()
        enterStep(state.step)
    }

    /// The parent the new migration will revise, or nil for a first migration.
    public var chosenHead: String? {
        guard !graph.heads.isEmpty else { return nil }
        return graph.heads[min(state.chosenHead, graph.heads.count - 1)]
    }

    /// The request the runtime hands to the core's planner: the same path as `vejamigrate new --spec`.
    public var request: MigrationRequest {
        MigrationRequest(
            description: nil, spec: spec, date: date, head: graph.heads.count > 1 ? chosenHead : nil,
            lineLength: lineLength, safeByDefault: safeByDefault)
    }

    // MARK: Update

    /// Applies a message; returns what the runtime must do next.
    public mutating func update(_ message: Message) -> Effect {
        defer { refresh() }
        switch message {
        case .resize(let newSize):
            size = newSize
            return .none
        case .effectResult(let result):
            return handle(result)
        case .verifyEvent(let event):
            verifyEvents.append(event)
            switch event {
            case .finished, .stopped: isVerifying = false
            default: break
            }
            return .none
        case .key(let key):
            return handle(key)
        }
    }

    private mutating func handle(_ result: EffectResult) -> Effect {
        switch result {
        case .written(let path, let repositoryPath, let text):
            writtenPath = path
            writtenText = text.isEmpty ? nil : text
            exitMessage = ([path] + MigrationPlanner.reminders(repositoryPath: repositoryPath)).joined(separator: "\n")
            state.flash = nil
            state.specPath = ((try? MigrationNaming.slug(spec.description ?? "")) ?? "migration") + ".json"
            enterStep(.done, preferred: .quitButton)
        case .failed(let text):
            state.flash = text
        case .specSaved(let path, let directory):
            state.savedSpecPath = path
            state.savedSpecDirectory = directory
            let whole = directory.isEmpty || path.hasPrefix("/") ? path : directory + "/" + path
            exitMessage = (exitMessage ?? "") + "\nSpec saved: \(whole) (vejamigrate new --spec \(path) writes this migration again)"
        case .historyRead(let history):
            graph = history.graph
            schema = history.schema
            resuggest()
            // The description was left before the history came: what it says can be read now.
            if state.step != .description { applyIntent() }
            let wasReading = isReadingHistory
            isReadingHistory = false
            // Arriving on Review: Write (or the first problem) appears now; put the focus on it.
            if wasReading, state.step == .review {
                refresh()
                if focusableIDs.contains(reviewFocus) { state.focus = reviewFocus } else if !focusableIDs.contains(state.focus) { state.focus = focusableIDs.first ?? state.focus }
            }
        case .historyChanged(let history, let text):
            graph = history.graph
            schema = history.schema
            state.chosenHead = 0
            state.flash = text
        }
        return .none
    }

    private mutating func handle(_ key: Key) -> Effect {
        if case .resumeDraft = state.overlay {
            switch key {
            case .character("r"), .character("R"), .enter:
                state.overlay = .none
                if let answers = offeredDraft?.answers { resume(answers) }
                offeredDraft = nil
            case .character("n"), .character("N"):
                state.overlay = .none
                offeredDraft = nil
                return .discardDraft
            // Quitting here leaves the draft as it was, for the next start.
            case .control("c"): return .quit(130)
            default: break
            }
            return .none
        }
        if state.overlay == .confirmQuit {
            switch key {
            case .character("y"), .character("Y"), .control("c"): return .quit(130)
            case .character("n"), .character("N"), .escape, .enter: state.overlay = .none
            default: break
            }
            return .none
        }
        if case .confirmDelete = state.overlay {
            switch key {
            case .character("y"), .character("Y"):
                state.overlay = .none
                if let target = state.pendingDelete { state.focus = target; deleteFocused() }
                state.pendingDelete = nil
            case .control("c"): return requestQuit()
            default:
                state.overlay = .none
                state.pendingDelete = nil
            }
            return .none
        }
        if state.overlay == .help {
            switch key {
            case .control("c"): return requestQuit()
            default: state.overlay = .none
            }
            return .none
        }
        if size.width < WizardModel.minimumSize.width || size.height < WizardModel.minimumSize.height {
            return key == .control("c") ? requestQuit() : .none
        }
        state.flash = nil
        let kind = focusedKind
        // What `applies` leaves out of the footer does nothing either.
        if let binding = KeyMap.binding(for: key, focus: kind, applies: applies) {
            if binding.action == .jumpToStep { jump(to: key); return .none }
            if binding.action == .toggleColumnFlag { toggleColumnFlag(key); return .none }
            return perform(binding.action)
        }
        if kind != .text, KeyMap.binding(for: key, focus: kind) != nil {
            return .none
        }
        if kind == .text, case .character(let ch) = key {
            insert(ch)
        } else if kind == .choice, state.focus == .columnType || state.focus == .change(.type), case .character(let ch) = key {
            // Only the long type list jumps by letter; on other choices a stray letter must not
            // silently change an answer (typing the table name one step too early, say).
            jumpChoice(to: ch)
        }
        return .none
    }

    /// The written migration's revision is its file name's `YYYYMMDD_NNNNNN` (the tool names it so).
    private mutating func startVerify() -> Effect {
        guard state.step == .done, !isVerifying, let path = writtenPath else { return .none }
        isVerifying = true
        verifyEvents = []
        return .verify(revision: MigrationFileName.impliedRevision(String(path.split(separator: "/").last ?? "")))
    }

    private mutating func requestQuit() -> Effect {
        if state.step == .done { return .quit(0) }
        if hasUnsavedWork {
            state.overlay = .confirmQuit
            return .none
        }
        return .quit(130)
    }

    /// The kind of the focused field. A disabled toggle or choice is nil, so no key changes it and the
    /// footer offers none; a disabled text field stays text so the letters typed at it go nowhere.
    public var focusedKind: FocusKind? {
        guard let field = fields.first(where: { $0.id == state.focus }) else { return nil }
        if !field.enabled, case .text = field.kind {} else if !field.enabled { return nil }
        switch field.kind {
        case .text: return .text
        case .toggle: return .toggle
        case .choice: return .choice
        case .row: return .row
        case .button: return .button
        case .note: return nil
        }
    }

    /// Whether an action does something here; the footer only offers those.
    public func applies(_ action: Action) -> Bool {
        if state.step == .done {
            // The migration is written: nothing to go back to or add; read, save, start over or quit.
            switch action {
            case .back, .review, .jumpToStep, .add, .delete, .moveUp, .moveDown, .toggleColumnFlag: return false
            default: break
            }
        }
        switch action {
        case .verify: return state.step == .done && !isVerifying && writtenPath != nil
        case .add: return (state.step == .columns && state.editingColumn == nil) || state.step == .indexes || (state.step == .change && state.operation == .alterEnum)
        case .complete: return completion != nil
        case .delete:
            switch state.focus {
            case .columnRow, .indexColumns, .indexUnique, .operationRow: return true
            case .fkRow(let i): return i < state.table.columns.count && state.table.columns[i].hasForeignKey
            default: return false
            }
        case .moveUp, .moveDown:
            switch state.focus {
            case .columnRow, .operationRow: return true
            default: return false
            }
        case .review: return state.step != .review
        case .toggleColumnFlag, .nextColumn: return state.step == .columns && editing != nil
        case .declineSuggestion: return state.step == .columns && editing?.suggestion != nil
        default: return true
        }
    }

    private var focusableIDs: [FieldID] { fields.filter { $0.kind.focusable }.compactMap(\.id) }

    private mutating func perform(_ action: Action) -> Effect {
        switch action {
        case .nextField: moveFocus(by: 1)
        case .previousField: moveFocus(by: -1)
        case .activate: return activate()
        case .complete:
            if let text = completion {
                setFocusedText(text)
                state.cursor = text.count
            }
        case .back: goBack()
        case .toggle:
            if focusedKind == .choice { cycleChoice(by: 1) } else { toggleFocused() }
        case .choiceNext: cycleChoice(by: 1)
        case .choicePrevious: cycleChoice(by: -1)
        case .add: add()
        case .delete: askToDelete()
        case .moveUp: moveRow(by: -1)
        case .moveDown: moveRow(by: 1)
        case .nextColumn: startNextColumn()
        case .declineSuggestion:
            updateEditing {
                $0.declined = true
                $0.suggest(nil)
            }
        case .jumpToStep, .toggleColumnFlag: break  // need the key: see `jump(to:)`, `toggleColumnFlag(_:)`
        case .help: state.overlay = .help
        case .previewTab:
            state.previewTab = state.previewTab == .python ? .sql : .python
            state.previewScroll = nil
        case .scrollUp: state.previewScroll = previewLine(from: previewTop, movingRows: -(layout.previewRows - 2))
        case .scrollDown: state.previewScroll = min(previewMaxTop, previewLine(from: previewTop, movingRows: layout.previewRows - 2))
        case .review:
            closeEditors()
            go(to: .review)
        case .quit: return requestQuit()
        case .verify: return startVerify()
        case .suspend: return .suspend
        case .cursorLeft: state.cursor = max(0, state.cursor - 1)
        case .cursorRight: state.cursor = min(focusedText.count, state.cursor + 1)
        case .cursorHome: state.cursor = 0
        case .cursorEnd: state.cursor = focusedText.count
        case .deleteBackward:
            guard state.cursor > 0 else { break }
            var chars = Array(focusedText)
            chars.remove(at: state.cursor - 1)
            state.cursor -= 1
            setFocusedText(String(chars))
        case .deleteForward:
            var chars = Array(focusedText)
            guard state.cursor < chars.count else { break }
            chars.remove(at: state.cursor)
            setFocusedText(String(chars))
        case .clearField:
            setFocusedText("")
            state.cursor = 0
        }
        return .none
    }

    // MARK: Focus and steps

    mutating func focus(_ id: FieldID) {
        state.focus = id
        state.cursor = focusedText.count
    }

    private mutating func moveFocus(by delta: Int) {
        let ids = focusableIDs
        guard !ids.isEmpty else { return }
        let i = ids.firstIndex(of: state.focus) ?? 0
        focus(ids[max(0, min(ids.count - 1, i + delta))])
    }

    /// Goes to the step numbered by the key (as the step bar numbers them), closing any editor.
    private mutating func jump(to key: Key) {
        guard case .character(let ch) = key, let n = ch.wholeNumberValue else {
            guard case .alt(let ch) = key, let n = ch.wholeNumberValue else { return }
            return jump(to: .character(Character(String(n))))
        }
        let steps = state.steps
        guard n >= 1, n <= steps.count else {
            state.flash = "There are \(steps.count) steps: 1 to \(steps.count)."
            return
        }
        closeEditors()
        enterStep(steps[n - 1])
    }

    /// Focuses the first focusable field of the step, or `preferred` if it exists.
    private mutating func enterStep(_ step: Step, preferred: FieldID? = nil) {
        if step != state.step { state.continueWarned = nil }
        if state.step == .description, step != .description {
            applyIntent()
            refresh()  // Review's focus reads the problems of the operation just filled
        }
        state.step = step
        state.previewScroll = nil
        let preferred = preferred ?? (step == .review ? reviewFocus : nil)
        let ids = focusableIDs
        if let preferred, ids.contains(preferred) { focus(preferred) } else if let first = ids.first { focus(first) }
    }

    private mutating func go(to step: Step) {
        enterStep(step)
    }

    /// Where Review puts the focus: the parent when there are several heads, else the first problem, else Write.
    var reviewFocus: FieldID {
        if graph.heads.count > 1 { return .parent }
        return issues.isEmpty ? .write : .issue(0)
    }

    /// Makes operation `k` of the migration (in Review's order) the one being answered, its answers
    /// as they were; the others keep theirs and their order.
    private mutating func reopen(_ k: Int) {
        guard k != currentOperation else { return }
        state.arrange(state.answered, current: k)
        state.editingColumn = nil
        state.editingForeignKey = nil
        state.continueWarned = nil
        refresh()
    }

    /// Removes operation `k` of the migration; the one being answered stays so unless it was `k`
    /// (then the one before it is, or else the first; the last one when none was being answered).
    private mutating func removeOperation(_ k: Int) {
        var all = state.answered
        guard k < all.count, all.count > 1 else { return }
        let current = currentOperation
        all.remove(at: k)
        let next: Int
        if let current, current != k { next = current > k ? current - 1 : current } else { next = current == nil ? all.count - 1 : max(0, k - 1) }
        state.arrange(all, current: next)
        state.editingColumn = nil
        state.editingForeignKey = nil
        refresh()
        focus(all.count > 1 ? .operationRow(min(k, all.count - 1)) : reviewFocus)
        if !focusableIDs.contains(state.focus), let first = focusableIDs.first { focus(first) }
    }

    /// Problems whose field belongs to `step`.
    public func issues(on step: Step) -> [SpecIssue] {
        issues.filter { FieldPath.location($0.field, model: self).0 == step }
    }

    /// Whether an issue is shown at its field now: a field left empty is not an error until the
    /// user tries to move on, but anything typed is checked at once.
    public func isShown(_ issue: SpecIssue, on step: Step) -> Bool {
        state.attempted.contains(step) || !(issue.problem == "is missing" || issue.problem == "is empty")
    }

    /// Continue: the first time a step has problems of its own it points at them; the next Continue
    /// moves on anyway, so no step keeps the user from fixing another one first.
    private mutating func advance() {
        state.attempted.insert(state.step)
        let own = issues(on: state.step)
        if !own.isEmpty, state.continueWarned != state.step {
            state.continueWarned = state.step
            state.flash = "Fix \(own.count == 1 ? "the problem" : "the \(own.count) problems") on this step first: \(own[0].problem). Or Continue again to fix it later."
            if let target = fieldFor(own[0]) { focus(target) }
            return
        }
        let steps = state.steps
        guard let i = steps.firstIndex(of: state.step), i + 1 < steps.count else { return }
        enterStep(steps[i + 1])
    }

    private mutating func goBack() {
        if let i = state.editingColumn {
            closeEditors()
            focus(i < state.table.columns.count ? .columnRow(i) : i > 0 ? .columnRow(i - 1) : .addColumn)
            return
        }
        if state.editingForeignKey != nil {
            let i = state.editingForeignKey!
            state.editingForeignKey = nil
            focus(.fkRow(i))
            return
        }
        let steps = state.steps
        guard let i = steps.firstIndex(of: state.step), i > 0 else {
            state.flash = "This is the first step. Ctrl-C quits."
            return
        }
        enterStep(steps[i - 1])
    }

    private func fieldFor(_ issue: SpecIssue) -> FieldID? {
        let (step, field, _) = FieldPath.location(issue.field, model: self)
        return step == state.step ? field : nil
    }

    private mutating func activate() -> Effect {
        switch state.focus {
        case .continueButton: advance()
        case .columnRow(let i):
            state.editingColumn = i
            focus(.columnName)
        case .addColumn: add()
        case .columnLine: addLine()
        case .columnName where editing?.suggestion?.asksValues == true && editing?.enumText.trimmed.isEmpty == true:
            // `status` asks for its allowed values next.
            focus(.columnEnum)
        case .columnDone: goBack()
        case .fkRow(let i):
            state.editingForeignKey = i
            if state.table.columns[i].referencesTable.isEmpty, let guess = guessedTable(for: state.table.columns[i].name) {
                state.table.columns[i].referencesTable = guess
            }
            focus(.fkTable)
        case .fkDone: goBack()
        case .addIndex: add()
        case .change(.addValue): add()
        case .addOperation:
            // Keep this operation as answered; the next one, at the end, starts at the operation step.
            state.earlier = state.answered
            state.later = []
            state.current = OperationDraft(operation: .addColumns, table: TableDraft(), change: ChangeDraft())
            state.editingColumn = nil
            state.editingForeignKey = nil
            state.attempted = []
            enterStep(.operation)
        case .issue(let i):
            guard i < issues.count else { break }
            // Another operation's problem: that operation becomes the one being answered first.
            let path = issues[i].field
            if let k = FieldPath.operationIndex(path, model: self), k != currentOperation { reopen(k) }
            // Open the editor the field lives in (if any), then focus the field on its step.
            let (step, field, column) = FieldPath.location(path, model: self)
            let inRange = column.map { $0 < state.table.columns.count } ?? false
            state.editingColumn = step == .columns && inRange ? column : nil
            state.editingForeignKey = step == .foreignKeys && inRange ? column : nil
            // The problem stays shown at its field, even one that is only missing.
            state.attempted.insert(step)
            enterStep(step, preferred: field)
        case .operationRow(let k):
            // Open the operation at its first step after the operation step.
            reopen(k)
            let steps = state.steps
            enterStep(steps.count > 3 ? steps[2] : .operation)
        case .specPath:
            let path = state.specPath.trimmed
            guard !path.isEmpty else {
                state.flash = "Type a file name for the spec, e.g. \((try? MigrationNaming.slug(spec.description ?? "")) ?? "migration").json"
                return .none
            }
            // The spec as `vejamigrate new --spec` reads it; the chosen parent is not part of it.
            return .saveSpec(path: path, text: spec.jsonText + "\n")
        case .writeAnother:
            let keep = (state.previewTab, size)
            state = WizardState()
            state.safe = safeByDefault
            state.previewTab = keep.0
            writtenPath = nil
            writtenText = nil
            exitMessage = nil
            verifyEvents = []
            enterStep(.description)
            return .startOver
        case .quitButton:
            return .quit(0)
        case .write:
            if isReadingHistory {
                state.flash = "Still reading the history; write again in a moment."
                return .none
            }
            if !issues.isEmpty {
                state.flash = "Fix the problems listed above first."
                return .none
            }
            return .write
        default:
            // Text, toggles and choices: Enter moves on, and on the last field continues.
            // The step's last input continues (no extra Enter on the button); in an editor it closes it.
            let ids = fields.filter { $0.kind.focusable && ($0.id == state.focus || !$0.passedByEnter) }.compactMap(\.id)
            if let i = ids.firstIndex(of: state.focus), i + 1 < ids.count, ids[i + 1] != .continueButton,
               ids[i + 1] != .columnDone, ids[i + 1] != .fkDone {
                focus(ids[i + 1])
            } else if state.editingColumn != nil {
                // Enter on the column's last field starts the next column.
                startNextColumn()
            } else if state.editingForeignKey != nil {
                goBack()
            } else {
                advance()
            }
        }
        return .none
    }

    /// `project_id` most likely references `projects`: the history decides which name exists.
    func guessedTable(for column: String) -> String? {
        NameRules.referencedTable(for: column, schema: schema)
    }

    /// Closes the column and foreign key editors; a column opened and left blank is not kept.
    private mutating func closeEditors() {
        if let i = state.editingColumn, i < state.table.columns.count, state.table.columns[i].isBlank {
            state.table.columns.remove(at: i)
        }
        state.editingColumn = nil
        state.editingForeignKey = nil
    }

    /// Alt-a, or Enter on a column's last field: a new column after this one, its editor open.
    private mutating func startNextColumn() {
        guard let i = state.editingColumn else { return }
        if i < state.table.columns.count, state.table.columns[i].isBlank { return }
        state.editingColumn = nil
        add()
    }

    /// Enter on the columns list's line: empty opens a new column (as + Add column); a line that
    /// reads becomes the next column; one with an error says where it is.
    private mutating func addLine() {
        let t = state.table
        if let k = t.askingValues {
            state.table.askingValues = nil
            state.table.line = ""
            state.cursor = 0
            if k < t.columns.count, !t.line.trimmed.isEmpty {
                state.table.columns[k].enumText = t.line.trimmed
                state.table.columns[k].touched.insert(.enumValues)
                state.table.columns[k].suggest(state.table.columns[k].suggestion)
            }
            return
        }
        if t.line.trimmed.isEmpty { add(); return }
        switch ColumnLine.parse(t.line.trimmed) {
        case .failure(let e):
            state.flash = LineMessage.text(e, line: t.line.trimmed)
        case .success(let line):
            let column = ColumnDraft(line: line, schema: schema)
            state.table.columns.append(column)
            state.table.pending = nil
            state.table.line = ""
            state.cursor = 0
            if column.suggestion?.asksValues == true, column.enumText.isEmpty {
                state.table.askingValues = state.table.columns.count - 1
            }
        }
    }

    /// The column the line reads as, so far (nil while it does not read).
    private mutating func readLine() {
        guard state.table.askingValues == nil, case .success(let line) = ColumnLine.parse(state.table.line.trimmed) else {
            state.table.pending = nil
            return
        }
        state.table.pending = ColumnDraft(line: line, schema: schema)
    }

    /// The history arrived (or changed): every column's suggestion is made again from it.
    private mutating func resuggest() {
        for i in state.table.columns.indices {
            state.table.columns[i].suggest(NameRules.suggest(for: state.table.columns[i].name.trimmed, schema: schema))
        }
        if state.table.pending != nil { readLine() }
    }

    /// Leaving the description: what it says (`add archived_at to projects`) fills an operation the
    /// user has not answered yet, and follows the description while the answers are still its own.
    private mutating func applyIntent() {
        let untouched = state.current == OperationDraft(operation: .createTable, table: TableDraft(), change: ChangeDraft())
        guard state.earlier.isEmpty, state.later.isEmpty, untouched || state.current == state.intentDraft else { return }
        var draft = OperationDraft(operation: .createTable, table: TableDraft(), change: ChangeDraft())
        switch DescriptionIntent.read(state.description, schema: schema) {
        case .createTable(let name)?:
            draft.table.name = name
            draft.table.nameSuggested = true
        case .addColumns(let table, let columns)?:
            draft.operation = .addColumns
            draft.table.name = table
            draft.table.nameSuggested = true
            draft.table.columns = columns.map { name in
                var c = ColumnDraft(name: name)
                c.suggest(NameRules.suggest(for: name, schema: schema))
                return c
            }
        case nil:
            break
        }
        state.current = draft
        state.intentDraft = draft
    }

    private mutating func add() {
        switch state.step {
        case .columns:
            if state.editingColumn != nil { return }
            state.table.columns.append(ColumnDraft())
            state.editingColumn = state.table.columns.count - 1
            focus(.columnName)
        case .indexes:
            state.table.indexes.append(IndexDraft())
            focus(.indexColumns(state.table.indexes.count - 1))
        case .change where state.operation == .alterEnum:
            state.change.values.append("")
            focus(.change(.value(state.change.values.count - 1)))
        default: break
        }
    }

    /// Columns and indexes hold typing; removing one asks first.
    private mutating func askToDelete() {
        switch state.focus {
        case .columnRow(let i):
            let name = state.table.columns[i].name
            state.pendingDelete = state.focus
            state.overlay = .confirmDelete("Delete column \(name.isEmpty ? "\(i + 1 + state.presetCount)" : name)?")
        case .indexColumns(let i), .indexUnique(let i):
            state.pendingDelete = state.focus
            state.overlay = .confirmDelete("Delete index \(i + 1) (\(state.table.indexes[i].columnsText))?")
        case .operationRow(let k):
            guard k < state.answered.count else { return }
            state.pendingDelete = state.focus
            state.overlay = .confirmDelete("Remove operation \(k + 1) (\(WizardModel.summary(state.answered[k]))) and its answers?")
        default:
            deleteFocused()
        }
    }

    private mutating func deleteFocused() {
        switch state.focus {
        case .columnRow(let i):
            state.table.columns.remove(at: i)
            let ids = focusableIDs
            focus(ids.contains(.columnRow(i)) ? .columnRow(i) : (i > 0 ? .columnRow(i - 1) : .addColumn))
        case .indexUnique(let i), .indexColumns(let i):
            state.table.indexes.remove(at: i)
            focus(state.table.indexes.isEmpty ? .addIndex : .indexColumns(min(i, state.table.indexes.count - 1)))
        case .fkRow(let i):
            state.table.columns[i].referencesTable = ""
            state.table.columns[i].onDelete = nil
        case .operationRow(let k): removeOperation(k)
        default: break
        }
    }

    /// `[` and `]`: a column in the list, or an operation on Review, one place up or down.
    private mutating func moveRow(by delta: Int) {
        switch state.focus {
        case .columnRow(let i):
            let j = i + delta
            guard j >= 0, j < state.table.columns.count else { return }
            state.table.columns.swapAt(i, j)
            focus(.columnRow(j))
        case .operationRow(let k):
            var all = state.answered
            let j = k + delta
            guard j >= 0, j < all.count else { return }
            all.swapAt(k, j)
            let current = currentOperation.map { $0 == k ? j : $0 == j ? k : $0 } ?? all.count - 1
            state.arrange(all, current: current)
            refresh()
            focus(.operationRow(j))
        default: break
        }
    }

    // MARK: Editing values

    /// Whether the focused field takes input.
    private var focusedEnabled: Bool { fields.first { $0.id == state.focus }?.enabled ?? true }

    private mutating func insert(_ ch: Character) {
        guard focusedEnabled else { return }
        if (state.focus == .tableName && state.table.nameSuggested) || showsSuggestion(state.focus) {
            // A suggested value (the description's table name, a part the column's name filled):
            // the first key typed replaces it.
            state.cursor = 0
            setFocusedText("")
        }
        var chars = Array(focusedText)
        let at = min(state.cursor, chars.count)
        chars.insert(ch, at: at)
        state.cursor = at + 1
        setFocusedText(String(chars))
    }

    /// Whether the field shows what the column's name suggested (not what the user typed).
    func showsSuggestion(_ id: FieldID) -> Bool {
        guard let c = editing, c.suggestion != nil, !focusedText.isEmpty else { return false }
        let part: ColumnPart
        switch id {
        case .columnLength: part = .length
        case .columnPrecision: part = .precision
        case .columnScale: part = .scale
        case .columnDefault: part = .defaultValue
        case .columnReferences: part = .references
        default: return false
        }
        return c.suggestedParts.contains(part)
    }

    /// The text of the focused text field.
    public var focusedText: String {
        let t = state.table
        switch state.focus {
        case .description: return state.description
        case .details: return state.details
        case .tableName: return t.name
        case .columnName: return editing?.name ?? ""
        case .columnLength: return editing?.length ?? ""
        case .columnPrecision: return editing?.precision ?? ""
        case .columnScale: return editing?.scale ?? ""
        case .columnDefault: return editing?.defaultText ?? ""
        case .columnEnum: return editing?.enumText ?? ""
        case .columnReferences: return editing?.referencesText ?? ""
        case .columnLine: return t.line
        case .enumValues(let i): return i < t.columns.count ? t.columns[i].enumText : ""
        case .enumDefault(let i): return i < t.columns.count ? t.columns[i].defaultText : ""
        case .fkTable: return editingFK?.referencesTable ?? ""
        case .fkColumn: return editingFK?.referencesColumn ?? ""
        case .indexColumns(let i): return i < t.indexes.count ? t.indexes[i].columnsText : ""
        case .specPath: return state.specPath
        case .change(let k): return state.change.text(k)
        default: return ""
        }
    }

    private var editing: ColumnDraft? { state.editingColumn.flatMap { $0 < state.table.columns.count ? state.table.columns[$0] : nil } }
    private var editingFK: ColumnDraft? { state.editingForeignKey.flatMap { $0 < state.table.columns.count ? state.table.columns[$0] : nil } }

    private mutating func setFocusedText(_ text: String) {
        guard focusedEnabled else { return }
        switch state.focus {
        case .description: state.description = text
        case .details: state.details = text
        case .tableName:
            state.table.name = text
            state.table.nameSuggested = false
        case .columnName:
            let schema = self.schema
            updateEditing {
                $0.name = text
                $0.suggest(NameRules.suggest(for: text.trimmed, schema: schema))
            }
        case .columnLength: updateEditing { $0.length = text; $0.touched.insert(.length) }
        case .columnPrecision: updateEditing { $0.precision = text; $0.touched.insert(.precision) }
        case .columnScale: updateEditing { $0.scale = text; $0.touched.insert(.scale) }
        case .columnDefault: updateEditing { $0.defaultText = text; $0.touched.insert(.defaultValue) }
        case .columnEnum: updateEditing { $0.enumText = text; $0.touched.insert(.enumValues); $0.suggest($0.suggestion) }
        case .columnReferences: updateEditing { $0.referencesText = text; $0.touched.insert(.references) }
        case .columnLine:
            state.table.line = text
            readLine()
        case .enumValues(let i):
            state.table.columns[i].enumText = text
            state.table.columns[i].touched.insert(.enumValues)
            state.table.columns[i].suggest(state.table.columns[i].suggestion)
        case .enumDefault(let i):
            state.table.columns[i].defaultText = text
            state.table.columns[i].touched.insert(.defaultValue)
        case .fkTable: updateEditingFK { $0.referencesTable = text; $0.touched.insert(.references) }
        case .fkColumn: updateEditingFK { $0.referencesColumn = text; $0.touched.insert(.references) }
        case .indexColumns(let i): state.table.indexes[i].columnsText = text
        case .specPath: state.specPath = text
        case .change(let k):
            state.change.setText(k, text)
            if state.operation == .alterEnum, k == .table || k == .column { readEnumValues() }
        default: break
        }
    }

    /// alter_enum starts from the values the history's CHECK allows, once table and column name one.
    private mutating func readEnumValues() {
        let source = state.change.table.trimmed + "." + state.change.column.trimmed
        guard source != state.change.valuesReadFrom, let values = flowContext.enumValues(state.change.table, state.change.column) else { return }
        state.change.values = values
        state.change.map = [:]
        state.change.valuesReadFrom = source
    }

    /// What Tab puts in the focused field, when it completes a name; nil when there is nothing to add.
    var completion: String? {
        guard let field = fields.first(where: { $0.id == state.focus }), field.enabled, !field.completions.isEmpty else { return nil }
        return Completion.complete(focusedText, names: field.completions, list: field.completesList)
    }

    private mutating func updateEditing(_ change: (inout ColumnDraft) -> Void) {
        guard let i = state.editingColumn, i < state.table.columns.count else { return }
        change(&state.table.columns[i])
    }

    private mutating func updateEditingFK(_ change: (inout ColumnDraft) -> Void) {
        guard let i = state.editingForeignKey, i < state.table.columns.count else { return }
        change(&state.table.columns[i])
    }

    /// Alt-p, Alt-n, Alt-u, Alt-i in the column editor: the toggle of that letter, if it is enabled.
    private mutating func toggleColumnFlag(_ key: Key) {
        guard applies(.toggleColumnFlag), case .alt(let letter) = key else { return }
        let target: FieldID
        switch letter {
        case "p": target = .columnPrimaryKey
        case "n": target = .columnNullable
        case "u": target = .columnUnique
        case "i": target = .columnIndex
        default: return
        }
        guard fields.first(where: { $0.id == target })?.enabled == true else {
            state.flash = fields.first { $0.id == target }?.hint
            return
        }
        let focus = state.focus
        state.focus = target
        toggleFocused()
        state.focus = focus
    }

    private mutating func toggleFocused() {
        switch state.focus {
        case .idPreset: state.table.idPreset.toggle()
        case .timestamps: state.table.timestamps.toggle()
        case .columnNullable: updateEditing { $0.nullable.toggle(); $0.touched.insert(.nullable) }
        case .columnPrimaryKey:
            updateEditing {
                $0.primaryKey.toggle()
                if $0.primaryKey { $0.unique = false }
            }
        case .columnUnique: updateEditing { $0.unique.toggle() }
        case .columnIndex: updateEditing { $0.index.toggle() }
        case .indexUnique(let i): state.table.indexes[i].unique.toggle()
        case .change(.unique): state.change.unique.toggle()
        case .change(.safe): state.change.safe.toggle()
        case .lockSafe: state.safe.toggle()
        default: break
        }
    }

    private mutating func cycleChoice(by delta: Int) {
        switch state.focus {
        case .operation:
            let all = OperationChoice.allCases
            state.operation = all[(state.operation.rawValue + delta + all.count) % all.count]
        case .columnType:
            let all = ColumnType.pickerOrder
            updateEditing { c in
                let i = all.firstIndex(of: c.type)!
                c.type = all[(i + delta + all.count) % all.count]
                c.touched.insert(.type)
            }
        case .columnOnDelete:
            let all: [OnDelete?] = [nil] + OnDelete.allCases.map(Optional.some)
            updateEditing { c in
                let i = all.firstIndex(of: c.onDelete) ?? 0
                c.onDelete = all[(i + delta + all.count) % all.count]
                c.touched.insert(.onDelete)
            }
        case .fkOnDelete:
            let all: [OnDelete?] = [nil] + OnDelete.allCases.map(Optional.some)
            updateEditingFK { c in
                let i = all.firstIndex(of: c.onDelete) ?? 0
                c.onDelete = all[(i + delta + all.count) % all.count]
                c.touched.insert(.onDelete)
            }
        case .change(.nullable):
            let all = AlterNullability.allCases
            state.change.nullable = all[(state.change.nullable.rawValue + delta + all.count) % all.count]
        case .change(.defaultMode):
            let all = AlterDefault.allCases
            state.change.defaultMode = all[(state.change.defaultMode.rawValue + delta + all.count) % all.count]
        case .change(.type):
            let all: [ColumnType?] = [nil] + ColumnType.pickerOrder.map(Optional.some)
            let i = all.firstIndex(of: state.change.type) ?? 0
            state.change.type = all[(i + delta + all.count) % all.count]
        case .change(.onDelete):
            let all: [OnDelete?] = [nil] + OnDelete.allCases.map(Optional.some)
            let i = all.firstIndex(of: state.change.onDelete) ?? 0
            state.change.onDelete = all[(i + delta + all.count) % all.count]
        case .parent:
            let n = max(1, graph.heads.count)
            state.chosenHead = (state.chosenHead + delta + n) % n
        default: break
        }
    }

    /// Typing a letter on a choice jumps to the next option that starts with it.
    private mutating func jumpChoice(to ch: Character) {
        guard let field = fields.first(where: { $0.id == state.focus }), case .choice(let options, let current) = field.kind else { return }
        let lower = Character(ch.lowercased())
        for step in 1...options.count {
            let j = (current + step) % options.count
            if options[j].lowercased().first == lower {
                cycleChoice(by: j - current)
                return
            }
        }
    }

    // MARK: Derived state

    /// Rebuilds the spec, its problems and the preview from the state.
    private mutating func refresh() {
        var issues: [SpecIssue] = []
        // An empty description is the one the operation says (`add invoices table`), when it says one.
        var spec = MigrationSpec(description: state.description.trimmed.isEmpty ? derivedDescription : state.description.trimmed)
        if !state.details.trimmed.isEmpty { spec.details = state.details.trimmed }
        // Every operation in Review's order, the current one among them; paths as the core gives them
        // (`add_columns.table`, or `operations[1].add_columns.table` when there are several).
        let drafts = state.answered
        currentOperation = state.currentIndex
        let context = FlowContext(schema: schema, restores: [])
        for (k, draft) in drafts.enumerated() {
            var (operation, typed) = WizardModel.build(draft, context)
            // "safe": false on the operation, unless the whole migration has it already.
            if state.safe, !draft.change.safe, let plain = operation.withoutSafeForms { operation = plain }
            let path = drafts.count == 1 ? operation.key : "operations[\(k)].\(operation.key)"
            spec.operations.append(operation)
            issues += typed.map { SpecIssue(field: $0.field.isEmpty ? path : path + "." + $0.field, problem: $0.problem, fix: $0.fix) }
        }
        // The whole migration's choice, written when it is not the project's default.
        if state.safe != safeByDefault, spec.operations.contains(where: { $0.withoutSafeForms != nil }) { spec.safe = state.safe }
        // A typed value that could not be read already has its own message; skip the validator's echo.
        let typedFields = Set(issues.map(\.field))
        issues += SpecValidator.issues(in: spec).filter { !typedFields.contains($0.field) }
        // The same plan as `vejamigrate new --spec`: checked against the history, downgrades rebuilt from it.
        plan = MigrationPlan(spec, schema: schema, safeByDefault: safeByDefault)
        var warnings: [SpecIssue] = []
        if schema != nil, !spec.operations.isEmpty {
            issues += plan.errors.filter { e in !issues.contains(e) && !typedFields.contains(e.field) }
            warnings = plan.warnings
        }
        self.warnings = warnings
        if let d = spec.description, (try? MigrationNaming.slug(d)) == nil {
            issues.append(SpecIssue(field: "description", problem: "has no letters or digits to name the file with", fix: "describe the change in words, e.g. add invoices table"))
        }
        self.spec = spec
        self.issues = issues
        preview = isReadingHistory
            ? Preview.reading(directoryLabel)
            : Preview.make(spec: spec, plan: plan, graph: graph, head: chosenHead, date: date, tab: state.previewTab, lineLength: lineLength)
        // After the write the pane shows the file as written, for review.
        if let writtenText, state.previewTab == .python { preview.python = Highlighter.python(writtenText) }
        statusText = makeStatusText()
        // Row counts of the wrapped preview, once per change: scrolling and following read them.
        let width = layout.previewWidth
        previewRowCounts = previewLines.map { WizardModel.wrapPoints(Array($0.text), first: width - 2, rest: width - 4).count }
    }

    /// The description the one operation says, for an empty description field: `add invoices table`,
    /// `add archived_at to projects` (`DescriptionIntent.description`); nil while it says none.
    public var derivedDescription: String? {
        let drafts = state.answered
        guard drafts.count == 1, let d = drafts.first else { return nil }
        let name = d.table.name.trimmed
        let valid = { (n: String) in !n.isEmpty && (try? MigrationNaming.slug(n)) != nil && n.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") } }
        switch d.operation {
        case .createTable where valid(name):
            return DescriptionIntent.createTable(name).description
        case .addColumns where valid(name) && !d.table.columns.isEmpty && d.table.columns.allSatisfy({ valid($0.name.trimmed) }):
            return DescriptionIntent.addColumns(table: name, columns: d.table.columns.map { $0.name.trimmed }).description
        default:
            return nil
        }
    }

    /// One operation as the spec has it, and the problems met reading its typed text (paths under it).
    static func build(_ d: OperationDraft, _ context: FlowContext) -> (MigrationOperation, [SpecIssue]) {
        switch d.operation {
        case .createTable:
            let (table, typed) = d.table.build(path: "")
            return (.createTable(table), typed.map(relative))
        case .addColumns:
            let (add, typed) = d.table.buildAddColumns(path: "")
            return (.addColumns(add), typed.map(relative))
        default:
            return d.operation.flow!.build(d.change, context)
        }
    }

    /// `.columns[1].length` → `columns[1].length`.
    private static func relative(_ issue: SpecIssue) -> SpecIssue {
        SpecIssue(field: issue.field.hasPrefix(".") ? String(issue.field.dropFirst()) : issue.field, problem: issue.problem, fix: issue.fix)
    }

    /// What the flows read: the schema, and what the current operation's downgrade puts back.
    var flowContext: FlowContext {
        var restores: [String] = []
        if let k = currentOperation, k < plan.operations.count, [.dropColumns, .dropTable, .dropIndex, .dropConstraint].contains(state.operation) {
            restores = RestoreText.lines(plan.operations[k].reversed().flatMap(\.inverse))
        }
        return FlowContext(schema: schema, restores: restores)
    }

    /// Where the panes are at the current size; `render` draws by the same numbers.
    struct Layout {
        var formWidth: Int
        var previewX: Int
        var previewWidth: Int
        /// Screen rows of preview text (below its four header rows, above status and footer).
        var previewRows: Int
        /// Rows of the status area above the footer: the hint or message, wrapped whole.
        var statusRows: Int
    }

    var layout: Layout { layout(for: size) }

    func layout(for size: Size) -> Layout {
        let formWidth = min(60, max(40, size.width * 2 / 5))
        let statusRows = statusLines(width: size.width).count
        return Layout(formWidth: formWidth, previewX: formWidth + 1, previewWidth: size.width - formWidth - 1,
                      previewRows: max(1, size.height - 7 - statusRows), statusRows: statusRows)
    }

    /// The most rows the status area takes; the panes above give them up.
    static let maxStatusRows = 4

    /// The status area's text wrapped to the screen's width, at least one row. The text is made once
    /// per change (`refresh`): the layout reads it many times a frame.
    func statusLines(width: Int) -> [String] {
        Array(wrap(statusText, max(1, width - 2)).prefix(WizardModel.maxStatusRows))
    }

    /// The message, or else the fix of the focused field's problem (the problem itself stands under
    /// the field), or else the field's hint.
    private func makeStatusText() -> String {
        let focused = fields.first { $0.id == state.focus }
        // A field that completes names keeps its hint (the close names) while a name is typed.
        let completes = !(focused?.completions.isEmpty ?? true)
        let fix = completes ? nil : issues.first { issueField($0) == state.focus && isShown($0, on: state.step) }.map { "To fix: " + $0.fix + "." }
        // "Tab completes." only when Tab would (the same `completion` the footer reads).
        let hint = focused?.hint.map { completion != nil ? $0 + " Tab completes." : $0 }
        return state.flash ?? fix ?? hint ?? ""
    }

    /// How many screen rows a preview line takes once wrapped.
    func previewRows(of line: HighlightedLine) -> Int {
        let w = layout.previewWidth
        return WizardModel.wrapPoints(Array(line.text), first: w - 2, rest: w - 4).count
    }

    /// The last first-line that still fills the pane: scrolling stops when the end is in view.
    var previewMaxTop: Int {
        let lines = previewLines
        var rows = 0
        var i = lines.count
        while i > 0 {
            rows += previewRowCounts[i - 1]
            if rows > layout.previewRows { return i }
            i -= 1
        }
        return 0
    }

    /// The first line `rows` screen rows before (negative) or after `line`.
    func previewLine(from line: Int, movingRows rows: Int) -> Int {
        let lines = previewLines
        var i = line
        var moved = 0
        if rows >= 0 {
            while i < lines.count - 1, moved + previewRowCounts[i] <= rows {
                moved += previewRowCounts[i]
                i += 1
            }
        } else {
            while i > 0, moved + previewRowCounts[i - 1] <= -rows {
                moved += previewRowCounts[i - 1]
                i -= 1
            }
        }
        return i
    }

    /// The first preview line shown: where the user scrolled, or else the part being edited.
    public var previewTop: Int {
        if let scroll = state.previewScroll { return min(scroll, previewMaxTop) }
        if state.step == .done { return 0 }  // the written file from its first line
        guard state.previewTab == .python else { return 0 }
        let lines = preview.python
        var column: Int?
        switch state.focus {
        case .columnRow(let i), .enumValues(let i), .enumDefault(let i), .fkRow(let i): column = i
        default: column = state.editingColumn ?? state.editingForeignKey
        }
        var target: Int?
        if let column, column < state.table.columns.count, !state.table.columns[column].name.isEmpty {
            target = lines.firstIndex { $0.text.contains("sa.Column(\"\(state.table.columns[column].name)\"") }
        }
        if target == nil, state.step == .indexes {
            target = lines.firstIndex { $0.text.contains("op.create_index(") }
        }
        if let target {
            // The line being edited sits a third of the way down the pane.
            return min(previewLine(from: target, movingRows: -(layout.previewRows / 3)), previewMaxTop)
        }
        if state.step.rawValue >= Step.table.rawValue, let line = lines.firstIndex(where: { $0.text.hasPrefix("def upgrade") }) {
            return min(max(0, line - 1), previewMaxTop)
        }
        return 0
    }

    /// The lines the preview pane shows for the active tab.
    public var previewLines: [HighlightedLine] {
        state.previewTab == .python ? preview.python : preview.sql
    }

    /// The file name the migration will get.
    public var previewFileName: String { preview.fileName }
}

/// The preview of the file: name, header and highlighted text of both tabs.
public struct Preview: Equatable, Sendable {
    public var fileName: String
    public var revision: String
    public var downRevisions: [String]
    public var python: [HighlightedLine]
    public var sql: [HighlightedLine]

    static let empty = Preview(fileName: "", revision: "", downRevisions: [], python: [], sql: [])

    /// While the history is read in the background: the revision and parent are not known yet.
    static func reading(_ directory: String) -> Preview {
        let line = HighlightedLine(spans: [Span(text: "# reading the history in \(directory)…", style: Highlighter.comment)])
        return Preview(fileName: "(reading the history…)", revision: "…", downRevisions: ["…"], python: [line], sql: [line])
    }

    /// Renders what the core would write, even while the spec still has problems.
    /// Only the tab on screen is highlighted; switching tabs is a change that makes the other.
    static func make(spec: MigrationSpec, plan: MigrationPlan, graph: RevisionGraph, head: String?, date: MigrationDate, tab: PreviewTab, lineLength: Int) -> Preview {
        let description = spec.description ?? ""
        let slug = (try? MigrationNaming.slug(description)) ?? "<description>"
        let revision = MigrationNaming.revisionID(date: date, sequence: graph.nextSequence)
        let parents = head.map { [$0] } ?? []
        let header = MigrationHeaderFields(description: description.isEmpty ? "<description>" : description, details: spec.details, revision: revision, downRevisions: parents, date: date)
        let python = tab == .python ? Highlighter.python(MigrationRenderer.python(header: header, plan: plan, lineLength: lineLength)) : []
        let sql = tab == .sql ? Highlighter.sql(SQLRenderer.sql(plan: plan, revision: revision)) : []
        return Preview(
            fileName: MigrationNaming.fileName(date: date, sequence: graph.nextSequence, slug: slug),
            revision: revision, downRevisions: parents, python: python, sql: sql)
    }
}
