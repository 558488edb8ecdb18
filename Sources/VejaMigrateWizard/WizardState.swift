import VejaMigrateCore

/// The steps of the wizard, in order.
public enum Step: Int, CaseIterable, Sendable {
    case description, operation, table, columns, enums, foreignKeys, indexes, review, done

    public var title: String {
        switch self {
        case .description: return "Description"
        case .operation: return "Operation"
        case .table: return "Table"
        case .columns: return "Columns"
        case .enums: return "Enum values"
        case .foreignKeys: return "Foreign keys"
        case .indexes: return "Indexes"
        case .review: return "Review"
        case .done: return "Done"
        }
    }

    /// A short title for narrow breadcrumbs.
    public var shortTitle: String {
        switch self {
        case .description: return "Desc"
        case .operation: return "Op"
        case .table: return "Table"
        case .columns: return "Cols"
        case .enums: return "Enums"
        case .foreignKeys: return "FKs"
        case .indexes: return "Idx"
        case .review: return "Review"
        case .done: return "Done"
        }
    }
}

/// What the migration does.
public enum OperationChoice: Int, CaseIterable, Sendable {
    case createTable
    /// The seed's empty template: `# TODO` and `pass`.
    case empty

    public var title: String {
        switch self {
        case .createTable: return "Create a table"
        case .empty: return "Empty (TODO template)"
        }
    }
}

/// Every field the form can focus. Rows of lists carry their index.
public enum FieldID: Hashable, Sendable {
    case description, details
    case operation
    case tableName, idPreset, timestamps
    case columnRow(Int), addColumn
    case columnName, columnType, columnLength, columnPrecision, columnScale, columnNullable, columnPrimaryKey
    case columnEnum, columnDefault, columnUnique, columnIndex, columnDone
    case enumValues(Int), enumDefault(Int)
    case fkRow(Int)
    case fkTable, fkColumn, fkOnDelete, fkDone
    case indexColumns(Int), indexUnique(Int), addIndex
    case parent
    case issue(Int)
    case write
    case specPath, writeAnother, quitButton
    case continueButton
}

/// What a field is, for drawing and for which keys apply.
public enum FieldKind: Equatable, Sendable {
    case text(String)
    case toggle(Bool)
    case choice([String], Int)
    /// A list row: Enter edits it.
    case row(String)
    case button(String)
    /// Text to read, not focusable.
    case note(String)

    public var focusable: Bool {
        if case .note = self { return false }
        return true
    }
}

/// One field of the current step's form.
public struct Field: Equatable, Sendable {
    public var id: FieldID?
    public var label: String
    public var kind: FieldKind
    /// Shown at the bottom of the form when the field has focus.
    public var hint: String?
    /// A disabled field keeps its place (and can take focus, so every type needs the same keys to
    /// reach a field) but takes no input; its hint says why. Keys and the footer both read this.
    public var enabled: Bool

    init(_ id: FieldID?, _ label: String, _ kind: FieldKind, hint: String? = nil, enabled: Bool = true) {
        self.id = id
        self.label = label
        self.kind = kind
        self.hint = hint
        self.enabled = enabled
    }
}

/// A box drawn over the screen.
public enum Overlay: Equatable, Sendable {
    case none
    case help
    case confirmQuit
    /// Asks before `d` removes a column or an index: what it removes, in words.
    case confirmDelete(String)
}

/// Which preview the right pane shows.
public enum PreviewTab: Sendable {
    case python, sql
}

/// Everything the user has typed and where they are: the wizard's whole state.
public struct WizardState: Equatable, Sendable {
    public var step: Step = .description
    public var description = ""
    public var details = ""
    public var operation: OperationChoice = .createTable
    public var table = TableDraft()
    /// The column open in the editor, on the columns step.
    public var editingColumn: Int?
    /// The column whose foreign key is open in the editor.
    public var editingForeignKey: Int?
    /// The parent chosen when the history has several heads.
    public var chosenHead: Int = 0
    public var focus: FieldID = .description
    /// Cursor position in the focused text field, in characters.
    public var cursor: Int = 0
    public var overlay: Overlay = .none
    public var previewTab: PreviewTab = .python
    /// The first preview line shown; nil follows what is being edited.
    public var previewScroll: Int?
    /// A one-line message for the status area (e.g. why Continue was refused).
    public var flash: String?
    /// Steps the user tried to leave: from then on, empty required fields show their error too.
    public var attempted: Set<Step> = []
    /// The step whose Continue was refused once for its own problems: the next Continue moves on anyway.
    public var continueWarned: Step?
    /// Where the done screen saves the answers as a spec (relative to the current directory).
    public var specPath = ""
    /// The spec file saved from the done screen, once saved.
    public var savedSpecPath: String?
    /// The row `d` will remove once confirmed.
    public var pendingDelete: FieldID?

    public init() {}

    /// The steps this operation walks through.
    public var steps: [Step] {
        switch operation {
        case .createTable: return Step.allCases.filter { $0 != .done }
        case .empty: return [.description, .operation, .review]
        }
    }
}
