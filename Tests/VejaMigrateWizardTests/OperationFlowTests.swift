import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// Issue 9: the operation step offers every operation the core plans, one flow per operation.
/// Each test answers like a person (keys only) on the example history and compares the spec the
/// wizard builds, and the preview with what `vejamigrate new --spec` writes for that spec.
final class OperationFlowTests: XCTestCase {
    func exampleDriver() throws -> Driver { try Driver.example() }

    func choose(_ d: inout Driver, description: String, operation title: String, file: StaticString = #filePath, line: UInt = #line) {
        d.choose(description: description, operation: title, file: file, line: line)
    }

    func assertPreviewIsTheCLIFile(_ d: Driver, file: StaticString = #filePath, line: UInt = #line) throws {
        try VejaMigrateWizardTests.assertPreviewIsTheCLIFile(d, file: file, line: line)
    }

    func testTheOperationStepOffersEveryOperation() throws {
        var d = try exampleDriver()
        d.type("x")
        d.press(.enter, .enter)
        var seen: [String] = []
        for _ in 0..<16 {
            if case .choice(let options, let i)? = d.model.fields.first(where: { $0.id == .operation })?.kind { seen.append(options[i]) }
            d.press(.right)
        }
        for title in ["Create a table", "Add columns", "Add or remove enum values", "Drop columns", "Rename a column", "Alter a column",
                      "Create an index", "Add a foreign key", "Drop a table",
                      "Add a CHECK", "Drop an index", "Drop a constraint", "Rename a table", "Empty (TODO template)"] {
            XCTAssertTrue(seen.contains(title), "\(title) not offered: \(seen)")
        }
    }

    func testAddAColumnToATableChosenByAutocomplete() throws {
        var d = try exampleDriver()
        choose(&d, description: "add a column to projects", operation: "Add columns")
        d.type("proj")
        // The hint lists the close names; Tab completes as far as they agree.
        XCTAssertTrue(d.text.contains("projects") && d.text.contains("project_members"), d.text)
        d.press(.tab)
        XCTAssertEqual(d.model.focusedText, "project")
        d.type("s")
        d.press(.enter)                       // the table is the step's only field: on to the columns
        XCTAssertTrue(d.text.contains("Columns"), d.text)
        d.press(.enter)                       // + Add column
        d.type("archived_at")                 // the name suggests datetime
        d.press(.escape, .function(10))
        XCTAssertEqual(d.model.spec.operations, [.addColumns(AddColumns(table: "projects", columns: [Column(name: "archived_at", type: .datetime)]))])
        XCTAssertEqual(d.model.issues, [])
        XCTAssertTrue(d.text.contains("Write migration"), d.text)
        try assertPreviewIsTheCLIFile(d)
    }

    func testAnUnknownTableShowsTheCoresErrorAtTheField() throws {
        var d = try exampleDriver()
        choose(&d, description: "add a column", operation: "Add columns")
        d.type("projcts")
        let issue = try XCTUnwrap(d.model.issues.first { $0.field == "add_columns.table" }, "\(d.model.issues)")
        XCTAssertTrue(d.text.contains("✗"), d.text)
        XCTAssertTrue(d.text.filter { !$0.isWhitespace }.contains(String(issue.problem.prefix(20)).filter { !$0.isWhitespace }), d.text)
    }

    func testAddAStatusValueStartsFromTheHistorysValues() throws {
        var d = try exampleDriver()
        choose(&d, description: "add blocked task status", operation: "Add or remove enum values")
        d.type("tasks")
        d.press(.enter)
        d.type("stat")
        d.press(.tab)                         // completes status
        XCTAssertEqual(d.model.focusedText, "status")
        d.press(.enter)
        // The values the history's CHECK holds, each its own field.
        for v in ["TODO", "IN_PROGRESS", "IN_REVIEW", "DONE"] { XCTAssertTrue(d.text.contains(v), d.text) }
        d.model.testFocus(.change(.addValue))
        d.press(.enter)
        d.type("BLOCKED")
        d.press(.function(10))
        XCTAssertEqual(d.model.spec.operations, [.alterEnum(AlterEnum(table: "tasks", column: "status", values: ["TODO", "IN_PROGRESS", "IN_REVIEW", "DONE", "BLOCKED"]))])
        XCTAssertEqual(d.model.issues, [])
        try assertPreviewIsTheCLIFile(d)
    }

    func testARemovedValueAsksWhereItsRowsGo() throws {
        var d = try exampleDriver()
        choose(&d, description: "drop in review status", operation: "Add or remove enum values")
        d.type("tasks")
        d.press(.enter)
        d.type("status")
        d.press(.enter)
        d.model.testFocus(.change(.value(2)))
        XCTAssertEqual(d.model.focusedText, "IN_REVIEW")
        d.press(.control("u"))                // an emptied value is removed
        XCTAssertTrue(d.model.fields.contains { $0.id == .change(.mapTarget("IN_REVIEW")) }, d.text)
        // The core's error (the value has nowhere to go) stands at that field.
        XCTAssertTrue(d.model.issues.contains { $0.field == "alter_enum.values" && $0.problem.contains("IN_REVIEW") }, "\(d.model.issues)")
        XCTAssertTrue(d.text.contains("✗"), d.text)
        d.model.testFocus(.change(.mapTarget("IN_REVIEW")))
        d.type("IN_PR")
        d.press(.tab)
        XCTAssertEqual(d.model.focusedText, "IN_PROGRESS")
        XCTAssertEqual(d.model.issues, [])
        XCTAssertEqual(d.model.spec.operations, [.alterEnum(AlterEnum(table: "tasks", column: "status", values: ["TODO", "IN_PROGRESS", "DONE"],
                                                                       map: [MappedValue(from: "IN_REVIEW", to: "IN_PROGRESS")]))])
        try assertPreviewIsTheCLIFile(d)
    }

    func testADropShowsWhatTheDowngradeRestores() throws {
        var d = try exampleDriver()
        choose(&d, description: "drop task position", operation: "Drop columns")
        d.type("tasks")
        d.press(.enter)
        d.type("position")
        let text = d.text.filter { !$0.isWhitespace }
        XCTAssertTrue(text.contains("downgradeputsback"), d.text)
        XCTAssertTrue(text.contains("INTEGER"), d.text)
        XCTAssertTrue(text.contains("DEFAULT0"), d.text)
        XCTAssertTrue(text.contains("idx_tasks_project_id_position"), d.text)
        XCTAssertEqual(d.model.spec.operations, [.dropColumns(DropColumns(table: "tasks", columns: ["position"]))])
        try assertPreviewIsTheCLIFile(d)
    }

    func testRenameAlterIndexForeignKeyAndDropTableBuildTheCoresOperations() throws {
        var d = try exampleDriver()
        choose(&d, description: "rename", operation: "Rename a column")
        d.type("tasks")
        d.press(.enter)
        d.type("position")
        d.press(.enter)
        d.type("rank")
        XCTAssertEqual(d.model.spec.operations, [.renameColumn(RenameColumn(table: "tasks", column: "position", to: "rank"))])
        try assertPreviewIsTheCLIFile(d)

        d = try exampleDriver()
        choose(&d, description: "require estimates", operation: "Alter a column")
        d.type("tasks")
        d.press(.enter)
        d.type("estimate_minutes")
        d.press(.enter)
        d.press(.right, .right)               // nullable: keep → NULL → NOT NULL
        d.press(.enter)
        d.type("0")                           // backfill
        XCTAssertEqual(d.model.spec.operations, [.alterColumn(AlterColumn(table: "tasks", column: "estimate_minutes", nullable: false, backfill: .int(0)))])
        XCTAssertEqual(d.model.issues, [])
        try assertPreviewIsTheCLIFile(d)

        d = try exampleDriver()
        choose(&d, description: "index task status", operation: "Create an index")
        d.type("tasks")
        d.press(.enter)
        d.type("status, created_at")
        XCTAssertEqual(d.model.spec.operations, [.createIndex(CreateIndex(table: "tasks", columns: ["status", "created_at"]))])
        XCTAssertEqual(d.model.issues, [])
        try assertPreviewIsTheCLIFile(d)

        d = try exampleDriver()
        choose(&d, description: "drop webhooks", operation: "Drop a table")
        d.type("webhooks")
        XCTAssertEqual(d.model.spec.operations, [.dropTable(DropTable(table: "webhooks"))])
        XCTAssertTrue(d.text.filter { !$0.isWhitespace }.contains("downgradeputsback"), d.text)
        try assertPreviewIsTheCLIFile(d)
    }

    func testAForeignKeyTargetAutocompletes() throws {
        var d = try exampleDriver()
        choose(&d, description: "link comments", operation: "Add a foreign key")
        d.type("comments")
        d.press(.enter)
        d.type("task_id")
        d.press(.enter)
        d.type("ta")
        d.press(.tab)                         // tasks and task_labels agree as far as "task"
        XCTAssertEqual(d.model.focusedText, "task")
        d.type("s")
        XCTAssertEqual(d.model.spec.operations, [.addForeignKey(AddForeignKey(table: "comments", column: "task_id", references: ForeignKey(table: "tasks")))])
        XCTAssertEqual(d.model.spec.operations.first?.key, "add_foreign_key")
    }

    func testTwoOperationsInOneMigration() throws {
        var d = try exampleDriver()
        choose(&d, description: "archive projects", operation: "Add columns")
        d.type("projects")
        d.press(.enter, .enter)
        d.type("archived_at")
        d.press(.enter, .character("d"), .escape, .function(10))
        d.model.testFocus(.addOperation)
        d.press(.enter)
        XCTAssertEqual(d.model.state.step, .operation)
        for _ in 0..<20 where !d.text.contains("‹ Add or remove enum values ›") { d.press(.right) }
        d.press(.enter)
        d.type("tasks")
        d.press(.enter)
        d.type("status")
        d.press(.enter)
        d.model.testFocus(.change(.addValue))
        d.press(.enter)
        d.type("BLOCKED")
        // The preview shows both, live.
        let python = d.model.preview.python.map(\.text).joined(separator: "\n")
        XCTAssertTrue(python.contains("archived_at") && python.contains("BLOCKED"), python)
        d.press(.function(10))
        XCTAssertEqual(d.model.spec.operations.map(\.key), ["add_columns", "alter_enum"])
        XCTAssertEqual(d.model.issues, [])
        // Review lists both.
        XCTAssertTrue(d.text.contains("1. add_columns projects"), d.text)
        XCTAssertTrue(d.text.contains("2. alter_enum tasks.status"), d.text)
        try assertPreviewIsTheCLIFile(d)
        XCTAssertTrue(d.model.spec.jsonText.contains("\"operations\""), d.model.spec.jsonText)
    }

    func testTabMovesOnWhenThereIsNothingToComplete() throws {
        var d = try exampleDriver()
        choose(&d, description: "drop", operation: "Drop a table")
        d.type("webhooks")
        // Nothing left to complete: the footer offers Tab as next, and Tab moves.
        XCTAssertFalse(d.screen.line(23).contains("Tab complete"), d.screen.line(23))
        let before = d.model.state.focus
        d.press(.tab)
        XCTAssertNotEqual(d.model.state.focus, before)
        d.press(.backTab, .control("u"))
        d.type("webh")
        XCTAssertTrue(d.screen.line(23).contains("Tab complete"), d.screen.line(23))
    }

    func testCheckDropIndexDropConstraintAndRenameTable() throws {
        var d = try exampleDriver()
        choose(&d, description: "budget not negative", operation: "Add a CHECK")
        d.type("projects")
        d.press(.enter)
        d.type("budget")
        d.press(.enter, .enter)               // name: empty (one column)
        d.type("budget >= 0")
        XCTAssertEqual(d.model.spec.operations, [.addCheck(AddCheck(table: "projects", column: "budget", expression: "budget >= 0"))])
        XCTAssertEqual(d.model.issues, [])
        try assertPreviewIsTheCLIFile(d)

        d = try exampleDriver()
        choose(&d, description: "drop an index", operation: "Drop an index")
        d.type("tasks")
        d.press(.enter)
        d.type("idx_tasks_project_id_s")
        d.press(.tab)                         // the table's indexes complete it
        XCTAssertEqual(d.model.focusedText, "idx_tasks_project_id_status")
        XCTAssertEqual(d.model.spec.operations, [.dropIndex(DropIndex(table: "tasks", name: "idx_tasks_project_id_status"))])
        XCTAssertTrue(d.text.filter { !$0.isWhitespace }.contains("downgradeputsback"), d.text)
        try assertPreviewIsTheCLIFile(d)

        d = try exampleDriver()
        choose(&d, description: "drop a foreign key", operation: "Drop a constraint")
        d.type("tasks")
        d.press(.enter)
        d.type("fk_tasks_as")
        d.press(.tab)
        XCTAssertEqual(d.model.focusedText, "fk_tasks_assignee_id")
        XCTAssertEqual(d.model.spec.operations, [.dropConstraint(DropConstraint(table: "tasks", name: "fk_tasks_assignee_id"))])
        XCTAssertTrue(d.text.filter { !$0.isWhitespace }.contains("downgradeputsback"), d.text)
        try assertPreviewIsTheCLIFile(d)

        d = try exampleDriver()
        choose(&d, description: "rename webhooks", operation: "Rename a table")
        d.type("webhooks")
        d.press(.enter)
        d.type("hooks")
        XCTAssertEqual(d.model.spec.operations, [.renameTable(RenameTable(table: "webhooks", to: "hooks"))])
        try assertPreviewIsTheCLIFile(d)
    }
}
