import VejaMigrateCore

/// The steps of the wizard, in order.
public enum Step: Int, CaseIterable, Sendable {
    case description, operation, table, columns, enums, foreignKeys, indexes
    /// The fields of an operation on an existing table (its flow's, see `OperationFlow`).
    case change
    case review, done

    public var title: String {
        switch self {
        case .description: return "Description"
        case .operation: return "Operation"
        case .table: return "Table"
        case .columns: return "Columns"
        case .enums: return "Enum values"
        case .foreignKeys: return "Foreign keys"
        case .indexes: return "Indexes"
        case .change: return "Change"
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
        case .change: return "Change"
        case .review: return "Review"
        case .done: return "Done"
        }
    }
}

/// What one operation of the migration does: every operation the core plans, each with its flow.
public enum OperationChoice: Int, CaseIterable, Sendable {
    case createTable, addColumns, alterEnum, dropColumns, renameColumn, alterColumn, createIndex, addForeignKey, dropTable
    case addCheck, dropIndex, dropConstraint, renameTable
    /// The seed's empty template: `# TODO` and `pass`.
    case empty

    public var title: String {
        switch self {
        case .createTable: return "Create a table"
        case .addColumns: return "Add columns"
        case .alterEnum: return "Add or remove enum values"
        case .dropColumns: return "Drop columns"
        case .renameColumn: return "Rename a column"
        case .alterColumn: return "Alter a column"
        case .createIndex: return "Create an index"
        case .addForeignKey: return "Add a foreign key"
        case .dropTable: return "Drop a table"
        case .addCheck: return "Add a CHECK"
        case .dropIndex: return "Drop an index"
        case .dropConstraint: return "Drop a constraint"
        case .renameTable: return "Rename a table"
        case .empty: return "Empty (TODO template)"
        }
    }

    /// What the operation step says about it.
    var explanation: String {
        switch self {
        case .createTable: return "A new table: name, presets, columns, enum values, foreign keys, indexes."
        case .addColumns: return "New columns on an existing table (add_columns); the downgrade drops them."
        case .alterEnum: return "Change the values a column's CHECK allows, starting from the history's list (alter_enum)."
        case .dropColumns: return "Drop columns; the downgrade puts them back with their constraints and indexes."
        case .renameColumn: return "Rename a column (rename_column); the downgrade renames it back."
        case .alterColumn: return "Nullability (with a backfill), type or default of a column (alter_column)."
        case .createIndex: return "An index on an existing table, built CONCURRENTLY (create_index)."
        case .addForeignKey: return "A foreign key and its index on an existing column (add_foreign_key)."
        case .dropTable: return "Drop a table; the downgrade rebuilds it whole."
        case .addCheck: return "A CHECK rule on an existing table, added NOT VALID and then validated (add_check)."
        case .dropIndex: return "Drop an index; the downgrade rebuilds it from the history."
        case .dropConstraint: return "Drop a CHECK, unique constraint or foreign key; the downgrade puts it back."
        case .renameTable: return "Rename a table (rename_table); the downgrade renames it back."
        case .empty: return "The seed's TODO template: no operation."
        }
    }

    /// The flow of an operation on an existing table; nil for those that walk the table steps.
    var flow: (any OperationFlow)? {
        switch self {
        case .alterEnum: return AlterEnumFlow()
        case .dropColumns: return DropColumnsFlow()
        case .renameColumn: return RenameColumnFlow()
        case .alterColumn: return AlterColumnFlow()
        case .createIndex: return CreateIndexFlow()
        case .addForeignKey: return AddForeignKeyFlow()
        case .dropTable: return DropTableFlow()
        case .addCheck: return AddCheckFlow()
        case .dropIndex: return DropIndexFlow()
        case .dropConstraint: return DropConstraintFlow()
        case .renameTable: return RenameTableFlow()
        case .createTable, .addColumns, .empty: return nil
        }
    }

    /// The steps between the operation step and Review.
    var steps: [Step] {
        switch self {
        case .createTable: return [.table, .columns, .enums, .foreignKeys, .indexes]
        case .addColumns: return [.table, .columns, .foreignKeys]
        case .empty: return []
        default: return [.change]
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
    /// The column editor's foreign key, where the column is (step 6 shows them all).
    case columnReferences, columnOnDelete
    /// The one-line column typed in the list (`ColumnLine`).
    case columnLine
    case enumValues(Int), enumDefault(Int)
    case fkRow(Int)
    case fkTable, fkColumn, fkOnDelete, fkDone
    case indexColumns(Int), indexUnique(Int), addIndex
    case parent
    case issue(Int)
    case write
    case specPath, writeAnother, quitButton
    case continueButton
    /// A field of an operation flow's change step.
    case change(ChangeKey)
    /// Review: keep this operation and choose another one for the same migration.
    case addOperation
    /// Review: one operation of a migration that has several (Enter opens it, `d` removes it, `[` `]` move it).
    case operationRow(Int)
    /// Review: the lock-safe forms for the whole migration (off writes `"safe": false`).
    case lockSafe
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
    /// Names Tab completes the text with (tables, columns, values); empty: no completion.
    public var completions: [String] = []
    /// Whether the text is a comma-separated list whose last name Tab completes.
    public var completesList = false
    /// A disabled field keeps its place (and can take focus, so every type needs the same keys to
    /// reach a field) but takes no input; its hint says why. Keys and the footer both read this.
    public var enabled: Bool
    /// Enter's walk from field to field passes over it (Tab and the arrows still reach it).
    public var passedByEnter = false

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
    /// The first screen when a draft was kept for this versions directory: what it is, `r` resumes it, `n` starts fresh.
    case resumeDraft(String)
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
    /// The fields of an operation flow (`OperationChoice.flow`).
    public var change = ChangeDraft()
    /// The operations already answered, before the current one (Review's "add another operation").
    public var earlier: [OperationDraft] = []
    /// The operations after the current one, when an earlier one was reopened from Review.
    public var later: [OperationDraft] = []
    /// Whether changes to tables that existed before are lock-safe (Review's toggle; off is `"safe": false`).
    public var safe = true
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
    /// Where relative spec paths are (the wizard's directory), shown so the file can be found.
    public var savedSpecDirectory = ""
    /// The row `d` will remove once confirmed.
    public var pendingDelete: FieldID?
    /// The operation the description's words filled in (`DescriptionIntent`): while the answers are
    /// still exactly these, editing the description fills them again.
    public var intentDraft: OperationDraft?

    public init() {}

    /// The steps this operation walks through.
    public var steps: [Step] {
        [.description, .operation] + operation.steps + [.review]
    }

    /// Columns the spec has before the user's own: the `id` preset of a new table; none for add_columns.
    public var presetCount: Int { operation == .createTable ? table.presetCount : 0 }

    /// The operations of the migration in order, an empty current one left out.
    public var answered: [OperationDraft] {
        (earlier + [current] + later).filter { $0.operation != .empty }
    }

    /// Where the current operation is in `answered` (nil: it is empty).
    public var currentIndex: Int? {
        operation == .empty ? nil : earlier.filter { $0.operation != .empty }.count
    }

    /// Makes `all[k]` the operation being answered, the others before and after it kept in order.
    mutating func arrange(_ all: [OperationDraft], current k: Int) {
        guard k >= 0, k < all.count else { return }
        earlier = Array(all[..<k])
        current = all[k]
        later = Array(all[(k + 1)...])
    }

    /// The operation being answered, as a draft.
    public var current: OperationDraft {
        get { OperationDraft(operation: operation, table: table, change: change) }
        set {
            operation = newValue.operation
            table = newValue.table
            change = newValue.change
        }
    }
}
