import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// What a new-user trial of issue 9 found in the wizard.
final class TrialFixesTests: XCTestCase {
    /// The form's rows (left of the divider), trimmed.
    func form(_ d: Driver) -> [String] {
        d.text.split(separator: "\n").map { String($0.split(separator: "│", omittingEmptySubsequences: false)[0]).trimmed }
    }

    // MARK: Paths break between names

    func testAPathBreaksAfterASlashAndKeepsTheFileNameWhole() {
        let m = Driver().model
        let rows = m.wrap("Deploy to server with `/deploy backend/app/migrations/versions/20261125_000018_add_invoices_table.py`.", 38)
        XCTAssertEqual(rows, ["Deploy to server with `/deploy", "backend/app/migrations/versions/", "20261125_000018_add_invoices_table.py", "`."])
        XCTAssertEqual(m.wrap("v/20261125_000018_add_invoices_table.py", 38), ["v/", "20261125_000018_add_invoices_table.py"])
        // A file name longer than the row breaks after its revision, so the slug stays whole…
        XCTAssertEqual(m.wrap("20261125_000018_add_archived_at_to_projects.py", 38), ["20261125_000018_", "add_archived_at_to_projects.py"])
        // …or, when the slug is longer than the row too, after an underscore, between its words.
        XCTAssertEqual(m.wrap("20261125_000018_add_archived_at_and_deleted_at_to_projects.py", 38),
                       ["20261125_000018_add_archived_at_and_", "deleted_at_to_projects.py"])
    }

    func testDoneAndReviewShowTheFileNameWholeAt80x24() throws {
        var d = Driver()
        d.answerInvoices()
        XCTAssertTrue(form(d).contains("20261125_000018_add_invoices_table.py"), d.text)
        d.press(.enter)
        let planned = try MigrationPlanner.plan(d.model.request, graph: Fixtures.linearGraph())
        _ = d.model.update(.effectResult(.written(
            path: "backend/app/migrations/versions/" + planned.fileName, repositoryPath: "backend/app/migrations/versions/" + planned.fileName, text: planned.python)))
        let rows = form(d)
        // The written path, then /deploy's: each directory and the file name whole on its row.
        XCTAssertEqual(rows.filter { $0 == "20261125_000018_add_invoices_table.py" }.count, 2, d.text)
        XCTAssertEqual(rows.filter { $0 == "backend/app/migrations/versions/" }.count, 2, d.text)
        // Nothing of the Done screen scrolls out of view for it.
        XCTAssertEqual(rows[2], "Done", d.text)
    }

    func testTheDoneScreenOfALongFileNameFits80x24() throws {
        var d = try Driver.example()
        d.choose(description: "add archived at to projects", operation: "Add columns")
        d.type("projects")
        d.press(.enter, .enter)
        d.type("archived_at")
        d.press(.enter, .character("d"), .escape, .function(10), .enter)
        let history = try Fixtures.exampleHistory()
        let planned = try MigrationPlanner.plan(d.model.request, graph: history.graph, schema: history.schema)
        let path = "backend/app/migrations/versions/" + planned.fileName
        _ = d.model.update(.effectResult(.written(path: path, repositoryPath: path, text: planned.python)))
        let rows = form(d)
        XCTAssertEqual(rows[2], "Done", d.text)
        XCTAssertTrue(rows.contains("add_archived_at_to_projects.py"), d.text)
        XCTAssertTrue(rows.contains("add_archived_at_to_projects.py`."), d.text)
        XCTAssertTrue(rows.contains("[ Quit ]"), d.text)
    }

    func testALongFileNameInThePreviewKeepsItsEnd() throws {
        var d = try Driver.example()
        d.type("add archived at and deleted at to projects")
        let header = d.screen.line(3)
        XCTAssertTrue(header.contains("…"), header)
        XCTAssertTrue(header.contains("_deleted_at_to_projects.py"), header)
    }

    // MARK: The type picker

    func testDPicksDatetimeFirstThenDate() {
        var d = Driver()
        d.type("x")
        d.press(.enter, .enter, .enter)
        d.type("events")
        d.press(.enter, .enter, .enter, .enter)   // + Add column
        d.type("moment")  // a name that suggests no type (starts_at would start at datetime)
        d.press(.enter)
        XCTAssertEqual(d.model.state.focus, .columnType)
        d.press(.character("d"))
        XCTAssertEqual(d.model.state.table.columns[0].type, .datetime)
        d.press(.character("d"))
        XCTAssertEqual(d.model.state.table.columns[0].type, .date)
        d.press(.character("d"))
        XCTAssertEqual(d.model.state.table.columns[0].type, .datetime)
        // The same convention for every letter: the type most columns use first.
        d.press(.character("b"))
        XCTAssertEqual(d.model.state.table.columns[0].type, .boolean)
        d.press(.character("b"))
        XCTAssertEqual(d.model.state.table.columns[0].type, .bigint)
        d.press(.character("j"))
        XCTAssertEqual(d.model.state.table.columns[0].type, .jsonb)
        // ←/→ walk the same order.
        d.press(.left)
        XCTAssertEqual(d.model.state.table.columns[0].type, .date)
    }

    func testAlterColumnsTypeTakesTheSameLetters() throws {
        var d = try Driver.example()
        d.choose(description: "retype", operation: "Alter a column")
        d.model.testFocus(.change(.type))
        d.press(.character("d"))
        XCTAssertEqual(d.model.state.change.type, .datetime)
        d.press(.character("d"))
        XCTAssertEqual(d.model.state.change.type, .date)
        d.press(.character("k"))
        XCTAssertNil(d.model.state.change.type, "k: keep")
    }

    func testThePickerOffersEveryTypeOnce() {
        XCTAssertEqual(ColumnType.pickerOrder.count, ColumnType.allCases.count)
        XCTAssertEqual(Set(ColumnType.pickerOrder), Set(ColumnType.allCases))
    }

    // MARK: alter_enum's removed values in the user's words

    func testARemovedValueIsExplainedWithTheFieldsNames() throws {
        var d = try Driver.example()
        d.choose(description: "retire in review", operation: "Add or remove enum values")
        d.type("tasks")
        d.press(.enter)
        d.type("status")
        d.press(.enter)
        d.model.testFocus(.change(.value(2)))
        d.press(.control("u"))
        let issue = try XCTUnwrap(d.model.issues.first { $0.field == "alter_enum.values" })
        XCTAssertEqual(d.model.issues.filter { $0.field == "alter_enum.values" }.count, 1, "the core's wording is not shown as well")
        XCTAssertTrue(issue.problem.contains("IN_REVIEW"), issue.problem)
        XCTAssertTrue(issue.fix.contains("Rows with IN_REVIEW become"), issue.fix)
        for text in [issue.problem, issue.fix, d.text] { XCTAssertFalse(text.contains("map"), text) }
        // A value typed that the new list does not have: said the same way.
        d.model.testFocus(.change(.mapTarget("IN_REVIEW")))
        d.type("LOST")
        let wrong = try XCTUnwrap(d.model.issues.first { $0.field == "alter_enum.map[0]" }, "\(d.model.issues)")
        XCTAssertEqual(wrong.problem, "\"LOST\" is not one of the new values")
        XCTAssertFalse(wrong.fix.contains("map"), wrong.fix)
        XCTAssertEqual(d.model.issues.filter { $0.field == "alter_enum.map[0]" }.count, 1)
    }

    // MARK: The FK editor

    func testTabReachesTheForeignKeyEditorsDoneButton() throws {
        let history = try Fixtures.exampleHistory()
        var d = Driver(graph: history.graph, schema: history.schema)
        d.answerInvoices()
        d.press(.alt("6"))
        d.model.testFocus(.fkRow(0))
        d.press(.enter)
        XCTAssertEqual(d.model.state.focus, .fkTable)
        d.press(.tab, .tab, .tab)
        XCTAssertEqual(d.model.state.focus, .fkDone)
        XCTAssertTrue(d.screen.text.contains("[ Done ‹ back to foreign keys ]"))
        d.press(.enter)
        XCTAssertNil(d.model.state.editingForeignKey)
        XCTAssertEqual(d.model.state.focus, .fkRow(0))
    }

    // MARK: The footer

    func testTheFooterNumbersTheStepsTheFlowHas() throws {
        var d = try Driver.example()
        d.choose(description: "drop webhooks", operation: "Drop a table")
        d.press(.function(10))
        // Description, Operation, the change, Review.
        XCTAssertTrue(d.screen.line(23).contains("1-4 step"), d.screen.line(23))
        d.press(.function(1))
        XCTAssertTrue(d.text.contains("Alt+1-4"), d.text)
        d.press(.escape)
        d.press(.escape, .escape)
        d.pick("Add columns")
        d.press(.function(10))
        XCTAssertTrue(d.screen.line(23).contains("1-6 step"), d.screen.line(23))
    }

    func testTheHintAndTheFooterAgreeOnTab() throws {
        var d = try Driver.example()
        d.choose(description: "add a column", operation: "Add columns")
        func status() -> String { (18..<23).map { d.screen.line($0) }.joined(separator: " ") }
        // Nothing typed: the names agree on nothing, so Tab moves on, and both say so.
        XCTAssertNil(d.model.completion)
        XCTAssertTrue(d.screen.line(23).contains("Tab next"), d.screen.line(23))
        XCTAssertFalse(status().contains("Tab completes"), status())
        XCTAssertTrue(status().contains(", …") && !status().contains("…."), status())
        d.type("proj")
        XCTAssertTrue(d.screen.line(23).contains("Tab complete"), d.screen.line(23))
        XCTAssertTrue(status().contains("Tab completes."), status())
        d.type("ects")
        XCTAssertTrue(d.screen.line(23).contains("Tab next"), d.screen.line(23))
        XCTAssertFalse(status().contains("Tab completes"), status())
    }
}
