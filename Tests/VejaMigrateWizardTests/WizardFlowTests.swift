import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

final class WizardFlowTests: XCTestCase {
    let date = MigrationDate("2026-11-25")!

    func testHappyPathBuildsTheSameFileAsTheSpec() throws {
        var d = Driver()
        d.answerInvoices()
        XCTAssertEqual(d.model.state.step, .review, d.text)
        XCTAssertEqual(d.model.issues, [], d.text)
        XCTAssertEqual(d.model.state.focus, .write)
        d.press(.enter)
        XCTAssertEqual(d.effects.last, .write)
        let graph = Fixtures.linearGraph()
        let fromWizard = try MigrationPlanner.plan(d.model.request, graph: graph)
        let spec = try SpecReader.read(json: Data(invoicesSpecJSON.utf8))
        let fromSpec = try MigrationPlanner.plan(MigrationRequest(spec: spec, date: date), graph: graph)
        XCTAssertEqual(fromWizard.python, fromSpec.python)
        XCTAssertEqual(fromWizard.fileName, "20261125_000018_add_invoices_table.py")
        XCTAssertEqual(fromWizard.downRevisions, ["20260211_000017"])
    }

    func testEveryEffectBeforeWriteIsNone() {
        var d = Driver()
        d.answerInvoices()
        XCTAssertTrue(d.effects.allSatisfy { $0 == .none })
    }

    func testBackNavigationKeepsWhatWasTyped() {
        var d = Driver()
        d.answerInvoices()
        d.press(.escape, .escape, .escape, .escape, .escape)
        XCTAssertEqual(d.model.state.step, .table)
        XCTAssertEqual(d.model.state.table.name, "invoices")
        d.press(.escape, .escape)
        XCTAssertEqual(d.model.state.step, .description)
        XCTAssertEqual(d.model.state.description, "add invoices table")
        // Edit the description, walk forward again: every answer is still there.
        d.press(.end)
        d.type("s")
        d.press(.function(10))
        XCTAssertEqual(d.model.state.step, .review)
        XCTAssertEqual(d.model.issues, [])
        XCTAssertEqual(d.model.previewFileName, "20261125_000018_add_invoices_tables.py")
        XCTAssertEqual(d.model.state.table.columns.map(\.name), ["project_id", "status"])
    }

    func testInvalidNameBlocksContinueAndShowsErrorAtTheField() {
        var d = Driver()
        d.type("add invoices table")
        d.press(.enter, .enter, .enter)
        d.type("Invoices")
        d.press(.tab, .tab, .tab, .enter)  // Continue
        XCTAssertEqual(d.model.state.step, .table)
        XCTAssertEqual(d.model.state.focus, .tableName)
        XCTAssertTrue(d.text.contains("✗ \"Invoices\" is not a valid table"), d.text)
        XCTAssertTrue(d.model.state.flash?.hasPrefix("Fix the problem") ?? false)
    }

    func testWriteIsRefusedWhileProblemsRemain() {
        var d = Driver()
        d.answerInvoices()
        // Break the enum default on the way back: the review lists it and Write is gone.
        d.model.testSetEnumDefault(column: 1, "LOST")
        d.press(.function(10))
        XCTAssertFalse(d.model.fields.contains { $0.id == .write })
        XCTAssertTrue(d.model.issues.contains { $0.problem.contains("is not one of the enum values") }); XCTAssertTrue(d.text.contains("✗ status default: \"LOST\""), d.text)
        // Enter on the problem jumps to its field.
        d.press(.enter)
        XCTAssertEqual(d.model.state.step, .enums)
        XCTAssertEqual(d.model.state.focus, .enumDefault(1))
    }

    func testTypedNumbersAreCheckedAtTheirField() {
        var d = Driver()
        d.type("t")
        d.press(.function(10))
        d.press(.escape, .escape, .escape, .escape)  // back to columns
        XCTAssertEqual(d.model.state.step, .columns)
        d.newColumn()
        d.type("amount")
        d.press(.enter, .character("n"), .enter, .enter)  // numeric → length (n/a) → precision
        d.type("1x")  // replaces the 12 the name suggested
        XCTAssertTrue(d.model.issues.contains { $0.field == "create_table.columns[1].precision" && $0.problem.contains("not a whole number") })
    }

    func testCtrlCAsksFirstWhenThereIsUnsavedWork() {
        var d = Driver()
        d.press(.control("c"))
        XCTAssertEqual(d.effects.last, .quit(130), "nothing typed: quits at once")
        d = Driver()
        d.type("x")
        d.press(.control("c"))
        XCTAssertEqual(d.model.state.overlay, .confirmQuit)
        XCTAssertEqual(d.effects.last, Effect.none)
        d.press(.character("n"))
        XCTAssertEqual(d.model.state.overlay, .none)
        XCTAssertEqual(d.model.state.description, "x")
        d.press(.control("c"), .character("y"))
        XCTAssertEqual(d.effects.last, .quit(130))
    }

    func testQuestionMarkIsTextInAFieldAndHelpElsewhere() {
        var d = Driver()
        d.type("why?")
        XCTAssertEqual(d.model.state.description, "why?")
        XCTAssertEqual(d.model.state.overlay, .none)
        d.press(.tab, .tab)  // Continue button
        d.press(.character("?"))
        XCTAssertEqual(d.model.state.overlay, .help)
        XCTAssertTrue(d.text.contains("Keys"))
        d.press(.escape)
        XCTAssertEqual(d.model.state.overlay, .none)
        d.press(.function(1))
        XCTAssertEqual(d.model.state.overlay, .help)
    }

    func testLithuanianDescriptionAndWideCharactersEdit() {
        var d = Driver()
        d.type("Pridėti sąskaitų lentelę")
        XCTAssertEqual(d.model.previewFileName, "20261125_000018_prideti_saskaitu_lentele.py")
        d.press(.backspace)
        XCTAssertEqual(d.model.state.description, "Pridėti sąskaitų lentel")
        d.press(.home)
        d.type("日本 ")
        XCTAssertEqual(d.model.state.description, "日本 Pridėti sąskaitų lentel")
        XCTAssertEqual(d.screen.cursor?.x, 2 + 5, "cursor after two wide characters and a space")
    }

    func testColumnReorderAndDelete() {
        var d = Driver()
        d.type("t")
        d.press(.enter, .enter, .enter)
        d.type("things")
        d.press(.enter, .enter, .enter)
        for name in ["a_col", "b_col", "c_col"] {
            d.newColumn()
            d.type(name)
            d.press(.escape)
        }
        XCTAssertEqual(d.model.state.table.columns.map(\.name), ["a_col", "b_col", "c_col"])
        XCTAssertEqual(d.model.state.focus, .columnRow(2))
        d.press(.character("["), .character("["))
        XCTAssertEqual(d.model.state.table.columns.map(\.name), ["c_col", "a_col", "b_col"])
        d.press(.character("d"))
        XCTAssertEqual(d.model.state.overlay, .confirmDelete("Delete column c_col?"), "deleting typed work asks first")
        d.press(.character("n"))
        XCTAssertEqual(d.model.state.table.columns.map(\.name), ["c_col", "a_col", "b_col"])
        d.press(.character("d"), .character("y"))
        XCTAssertEqual(d.model.state.table.columns.map(\.name), ["a_col", "b_col"])
    }

    func testSeveralHeadsAskForTheParentOnReview() throws {
        var d = Driver(graph: Fixtures.twoHeads())
        d.type("empty change")
        d.press(.enter, .enter, .left, .enter)  // empty migration (the last operation) → review
        XCTAssertEqual(d.model.state.step, .review)
        XCTAssertEqual(d.model.state.focus, .parent)
        d.press(.right)
        XCTAssertEqual(d.model.chosenHead, "20260211_000018")
        let planned = try MigrationPlanner.plan(d.model.request, graph: Fixtures.twoHeads())
        XCTAssertEqual(planned.downRevisions, ["20260211_000018"])
        XCTAssertTrue(planned.python.contains("# TODO: implement upgrade"))
    }

    func testHistoryChangeIsReportedAndTheParentRederived() {
        var d = Driver()
        d.answerInvoices()
        var files = Fixtures.linearGraph().files
        files.append(Fixtures.file("20261124_000018_other.py", revision: "20261124_000018", down: ["20260211_000017"]))
        _ = d.model.update(.effectResult(.historyChanged(MigrationHistory(graph: RevisionGraph(files: files), schema: HistorySchema()), "The history changed")))
        XCTAssertEqual(d.model.previewFileName, "20261125_000019_add_invoices_table.py")
        XCTAssertEqual(d.model.preview.downRevisions, ["20261124_000018"])
        XCTAssertEqual(d.model.state.flash, "The history changed")
        XCTAssertEqual(d.model.state.step, .review)
    }

    func testWrittenShowsPathAndReminders() {
        var d = Driver()
        d.answerInvoices()
        d.press(.enter)
        _ = d.model.update(.effectResult(.written(path: "v/20261125_000018_add_invoices_table.py", repositoryPath: "backend/app/migrations/versions/20261125_000018_add_invoices_table.py")))
        XCTAssertEqual(d.model.state.step, .done)
        XCTAssertTrue(d.text.contains("✓ Migration written"))
        XCTAssertEqual(d.model.exitMessage, """
            v/20261125_000018_add_invoices_table.py
            Run `/test` to verify the migration applies cleanly against SQLite test DB.
            Deploy to server with `/deploy backend/app/migrations/versions/20261125_000018_add_invoices_table.py`.
            """)
        d.press(.enter)
        XCTAssertEqual(d.effects.last, .quit(0))
    }

    func testTooSmallTerminal() {
        var d = Driver(size: Size(width: 60, height: 20))
        XCTAssertTrue(d.text.contains("Terminal too small: 60x20."))
        d.type("abc")
        XCTAssertEqual(d.model.state.description, "", "keys are ignored until the terminal is big enough")
        _ = d.model.update(.resize(Size(width: 80, height: 24)))
        XCTAssertFalse(d.text.contains("Terminal too small"))
    }

    func testFooterComesFromTheKeyTable() {
        let d = Driver()
        let footer = d.screen.line(23)
        for (label, help) in KeyMap.footer(focus: .text, width: 80, applies: d.model.applies) {
            XCTAssertTrue(footer.contains("\(label) \(help)"), footer)
        }
        XCTAssertTrue(footer.contains("F1 help"))
        XCTAssertTrue(footer.contains("^C quit"))
    }
}

extension WizardModel {
    /// Test hook: sets an enum default as if typed on the enum step.
    mutating func testSetEnumDefault(column: Int, _ text: String) {
        _ = update(.key(.function(10)))
        while state.step != .enums { _ = update(.key(.escape)) }
        while state.focus != .enumDefault(column) { _ = update(.key(.tab)) }
        _ = update(.key(.control("u")))
        for ch in text { _ = update(.key(.character(ch))) }
    }
}

final class PreviewScrollTests: XCTestCase {
    func testPageDownReachesTheEndOfTheFileAt80x24() {
        var d = Driver()
        d.answerInvoices()
        for _ in 0..<30 { d.press(.pageDown) }
        let text = d.text
        XCTAssertTrue(text.contains("op.drop_table(\"invoices\")"), text)
        XCTAssertFalse(text.contains("↓ PgDn"), "the end is in view")
        for _ in 0..<30 { d.press(.pageUp) }
        XCTAssertTrue(d.text.contains("\"\"\"add invoices table"), d.text)
    }

    func testPreviewFollowsTheColumnBeingEdited() {
        var d = Driver()
        d.type("t")
        d.press(.enter, .enter, .enter)
        d.type("things")
        d.press(.enter, .enter, .enter)
        for i in 0..<12 {
            d.newColumn()
            d.type("column_number_\(i)")
            d.press(.escape)
        }
        d.press(.enter)  // edit column_number_11
        XCTAssertTrue(d.text.contains("sa.Column(\"column_number_11\""), d.text)
    }

    func testEnumErrorsShowInTheColumnEditor() {
        var d = Driver()
        d.type("t")
        d.press(.enter, .enter, .enter)
        d.type("things")
        d.press(.enter, .enter, .enter, .enter)
        d.type("state")
        d.press(.enter)  // the name asks for its allowed values next
        XCTAssertEqual(d.model.state.focus, .columnEnum)
        d.type("A, A")
        XCTAssertTrue(d.text.contains("✗ \"A\" is listed twice"), d.text)
    }
}

final class ChoiceLetterTests: XCTestCase {
    func testLettersDoNotChangeTheOperation() {
        var d = Driver()
        d.type("add notes")
        d.press(.enter, .enter)
        XCTAssertEqual(d.model.state.focus, .operation)
        d.type("notes_e")  // the table name, typed one step too early
        XCTAssertEqual(d.model.state.operation, .createTable)
    }
}
