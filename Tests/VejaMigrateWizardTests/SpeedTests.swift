import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// Issue 12 on the pure model: suggestions fill only what was not set, the line and the form are
/// one column, the column's foreign key is set where the column is, and Review lists what is left.
final class SpeedTests: XCTestCase {
    /// On the example history, at the columns step of a new table named by the description.
    func columns() throws -> Driver {
        var d = try Driver.example()
        d.type("add invoices table")
        d.press(.alt("4"))
        XCTAssertEqual(d.model.state.step, .columns)
        XCTAssertEqual(d.model.state.table.name, "invoices", "the description named the table")
        XCTAssertEqual(d.model.state.focus, .columnLine)
        return d
    }

    func testTheNameFillsWhatIsNotSetAndNeverWhatIs() throws {
        var d = try columns()
        d.press(.enter)  // empty line: the editor
        d.type("project_id")
        var c = d.model.state.table.columns[0]
        XCTAssertEqual(c.type, .uuid)
        XCTAssertFalse(c.nullable)
        XCTAssertEqual(c.referencesTable, "projects")
        XCTAssertEqual(c.onDelete, .cascade, "the history's foreign keys to projects are CASCADE")
        XCTAssertTrue(d.text.contains("≈ From the name (reference)"), d.text)
        // Set by hand: nullable. Renamed: the new name's suggestion leaves it alone.
        d.press(.alt("n"))
        d.model.testFocus(.columnName)
        d.press(.control("u"))
        d.type("is_paid")
        c = d.model.state.table.columns[0]
        XCTAssertEqual(c.type, .boolean)
        XCTAssertTrue(c.nullable, "typed by the user: kept")
        XCTAssertEqual(c.defaultText, "false")
        XCTAssertEqual(c.referencesTable, "", "the old name's foreign key went with it")
        // A value shown from the suggestion is replaced by the first key typed in it.
        d.model.testFocus(.columnDefault)
        d.type("true")
        XCTAssertEqual(d.model.state.table.columns[0].defaultText, "true")
        d.type("x")
        XCTAssertEqual(d.model.state.table.columns[0].defaultText, "truex", "typed text is not a suggestion")
        // Alt-x drops the suggestion; what was typed stays.
        d.press(.alt("x"))
        c = d.model.state.table.columns[0]
        XCTAssertEqual(c.type, .string)
        XCTAssertEqual(c.defaultText, "truex")
        XCTAssertTrue(c.nullable)
    }

    func testStatusAsksForItsValuesAndTheFirstIsTheDefault() throws {
        var d = try columns()
        d.press(.enter)
        d.type("status")
        d.press(.enter)
        XCTAssertEqual(d.model.state.focus, .columnEnum)
        d.type("DRAFT, SENT")
        XCTAssertEqual(d.model.state.table.columns[0].defaultText, "DRAFT")
        XCTAssertEqual(d.model.spec.operations.first.flatMap { if case .createTable(let t) = $0 { return t.columns[1] } else { return nil } }?.length, 32)
    }

    func testAltAAndEnterOnTheLastFieldStartTheNextColumnAndABlankOneIsNotKept() throws {
        var d = try columns()
        d.press(.enter)
        d.type("issued_at")
        d.press(.alt("a"))
        XCTAssertEqual(d.model.state.editingColumn, 1)
        d.type("number")
        d.model.testFocus(.columnOnDelete)
        d.press(.enter)
        XCTAssertEqual(d.model.state.editingColumn, 2, "Enter on the last field starts the next column")
        d.press(.escape)
        XCTAssertEqual(d.model.state.table.columns.map(\.name), ["issued_at", "number"], "the blank one is not kept")
        XCTAssertEqual(d.model.state.focus, .columnRow(1))
    }

    func testTheForeignKeyIsSetInTheColumnEditor() throws {
        var d = try columns()
        d.press(.enter)
        d.type("owner")
        d.model.testFocus(.columnReferences)
        d.type("us")
        d.press(.tab)  // completes from the history's tables
        XCTAssertEqual(d.model.focusedText, "users")
        d.press(.tab, .right)  // On delete: CASCADE
        let column = d.model.spec.operations.first.flatMap { if case .createTable(let t) = $0 { return t.columns[1] } else { return nil } }
        XCTAssertEqual(column?.foreignKey, ForeignKey(table: "users", column: "id", onDelete: .cascade))
    }

    func testTheLineIsInThePreviewAsTypedAndItsErrorPointsAtThePart() throws {
        var d = try columns()
        d.type("amount:numeric(12,2)!")
        XCTAssertTrue(d.model.preview.python.contains { $0.text.contains("sa.Column(\"amount\", sa.Numeric(12, 2), nullable=False)") })
        XCTAssertTrue(d.text.contains("Reads as: amount:numeric(12,2)!"), d.text)
        d.press(.enter)
        XCTAssertEqual(d.model.state.table.columns.map(\.name), ["amount"])
        XCTAssertEqual(d.model.state.table.line, "")
        d.type("code:strin")
        XCTAssertTrue(d.text.contains("\"strin\" is not a type; did you mean string?"), d.text)
        d.press(.enter)
        XCTAssertEqual(d.model.state.table.columns.count, 1, "a line that does not read is not added")
        // The form and the line are one column: the editor shows what the line gave, and prints it back.
        XCTAssertEqual(d.model.state.table.columns[0].line.text, "amount:numeric(12,2)!")
    }

    func testReviewListsWhatTheNamesDecidedAndWhatIsLeft() throws {
        var d = try columns()
        d.type("project_id")
        d.press(.enter)
        d.type("status")
        d.press(.enter)
        d.press(.function(10))
        let notes = d.model.fields.compactMap { if case .note(let t) = $0.kind { return t } else { return nil } }
        XCTAssertTrue(notes.contains("From the names (check them):"), "\(notes)")
        XCTAssertTrue(notes.contains("≈ project_id: uuid, NOT NULL, → projects.id CASCADE"), "\(notes)")
        XCTAssertTrue(notes.contains("≈ status: string(32), NOT NULL, allowed values next"), "\(notes)")
    }

    func testTheDescriptionFillsAddColumnsUntilTheUserAnswers() throws {
        var d = try Driver.example()
        d.type("add archived_at to projects")
        d.press(.function(10))
        XCTAssertEqual(d.model.spec.operations, [.addColumns(AddColumns(table: "projects", columns: [Column(name: "archived_at", type: .datetime)]))])
        XCTAssertEqual(d.model.state.focus, .write)
        // Back on the description, other words: the operation follows while it is still the description's.
        d.press(.character("1"))
        d.press(.control("u"))
        d.type("add deleted_at to projects")
        d.press(.function(10))
        XCTAssertEqual(d.model.state.table.columns.map(\.name), ["deleted_at"])
        // Once answered by hand, it stays.
        d.press(.alt("3"))
        d.type("tasks")
        d.press(.alt("1"))
        d.press(.control("u"))
        d.type("add x_at to projects")
        d.press(.function(10))
        XCTAssertEqual(d.model.state.table.name, "tasks")
    }
}

extension SpeedTests {
    func testAnEmptyDescriptionIsTheOneTheOperationSays() throws {
        var d = try Driver.example()
        d.press(.alt("3"))
        d.type("invoices")
        XCTAssertEqual(d.model.spec.description, "add invoices table")
        XCTAssertEqual(d.model.previewFileName, "20261125_000018_add_invoices_table.py")
        // Typed, it is the user's.
        d.press(.alt("1"))
        d.type("create the invoices")
        XCTAssertEqual(d.model.spec.description, "create the invoices")
        XCTAssertEqual(d.model.state.table.name, "invoices", "words that say no operation leave the answers alone")
    }
}

extension SpeedTests {
    func testAllowedValuesCompleteFromTheHistorysChecksOnThatName() throws {
        var d = try columns()
        d.press(.enter)
        d.type("status")
        d.press(.enter)
        XCTAssertEqual(d.model.state.focus, .columnEnum)
        let hint = try XCTUnwrap(d.model.fields.first { $0.id == .columnEnum }?.hint)
        XCTAssertTrue(hint.contains("TODO"), hint)  // tasks.status allows TODO, IN_PROGRESS, ...
        d.type("TO")
        d.press(.tab)
        XCTAssertEqual(d.model.focusedText, "TODO")
        d.type(", IN_P")
        d.press(.tab)
        XCTAssertEqual(d.model.focusedText, "TODO, IN_PROGRESS")
    }
}
