import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// Issue 9: on Review, every operation of a migration can be reopened (from its problem or its row),
/// removed, and moved; and the lock-safe forms can be turned off, for the migration or one operation.
final class ReviewOperationsTests: XCTestCase {
    func exampleDriver() throws -> Driver { try Driver.example() }

    /// alter_enum on tasks.status with IN_REVIEW removed and no value given for its rows.
    func removeInReview(_ d: inout Driver) {
        d.type("tasks")
        d.press(.enter)
        d.type("status")
        d.press(.enter)
        d.model.testFocus(.change(.value(2)))
        XCTAssertEqual(d.model.focusedText, "IN_REVIEW")
        d.press(.control("u"))
    }

    /// Add columns: projects.archived_at, a datetime (as its name suggests).
    func addArchivedAt(_ d: inout Driver) {
        d.type("projects")
        d.press(.enter, .enter)
        d.type("archived_at")
        d.press(.escape)
    }

    /// From Review: + Add another operation, then `title`.
    func addAnother(_ d: inout Driver, _ title: String) {
        d.press(.function(10))
        d.model.testFocus(.addOperation)
        d.press(.enter)
        XCTAssertEqual(d.model.state.step, .operation)
        d.pick(title)
    }

    func testAProblemOfAnEarlierOperationReopensItAtItsField() throws {
        var d = try exampleDriver()
        d.choose(description: "retire in review status", operation: "Add or remove enum values")
        removeInReview(&d)
        addAnother(&d, "Add columns")
        addArchivedAt(&d)
        d.press(.function(10))
        // The earlier operation's problem is listed, in the user's words (no spec jargon), and focused.
        let issue = try XCTUnwrap(d.model.issues.first)
        XCTAssertEqual(issue.field, "operations[0].alter_enum.values")
        XCTAssertTrue(issue.problem.contains("IN_REVIEW"), issue.problem)
        for text in [issue.problem, issue.fix] { XCTAssertFalse(text.contains("map"), text) }
        XCTAssertFalse(d.text.contains("\"map\""), d.text)
        XCTAssertTrue(d.text.contains("Operation 1: rows of tasks"), d.text)
        XCTAssertEqual(d.model.state.focus, .issue(0))
        // Enter opens operation 1 at the field that fixes it.
        d.press(.enter)
        XCTAssertEqual(d.model.currentOperation, 0)
        XCTAssertEqual(d.model.state.operation, .alterEnum)
        XCTAssertEqual(d.model.state.step, .change)
        XCTAssertEqual(d.model.state.focus, .change(.mapTarget("IN_REVIEW")))
        let tall = d.model.render(size: Size(width: 120, height: 40)).text
        XCTAssertTrue(tall.contains("Operation 1 of 2"), tall)
        d.type("IN_PR")
        d.press(.tab)
        XCTAssertEqual(d.model.focusedText, "IN_PROGRESS")
        d.press(.function(10))
        XCTAssertEqual(d.model.issues, [])
        // Both kept, in their order; the second one's answers untouched.
        let review = d.model.render(size: Size(width: 120, height: 40)).text
        XCTAssertTrue(review.contains("1. alter_enum tasks.status"), review)
        XCTAssertTrue(review.contains("2. add_columns projects (archived_at)"), review)
        XCTAssertEqual(d.model.spec.operations, [
            .alterEnum(AlterEnum(table: "tasks", column: "status", values: ["TODO", "IN_PROGRESS", "DONE"], map: [MappedValue(from: "IN_REVIEW", to: "IN_PROGRESS")])),
            .addColumns(AddColumns(table: "projects", columns: [Column(name: "archived_at", type: .datetime)])),
        ])
        try assertPreviewIsTheCLIFile(d)
    }

    func testAProblemOfALaterOperationReopensItToo() throws {
        var d = try exampleDriver()
        d.choose(description: "two changes", operation: "Add columns")
        addArchivedAt(&d)
        addAnother(&d, "Add or remove enum values")
        removeInReview(&d)
        d.press(.function(10))
        // Open operation 1 from its row, then come back: operation 2's problem reopens operation 2.
        d.model.testFocus(.operationRow(0))
        d.press(.enter)
        XCTAssertEqual(d.model.currentOperation, 0)
        XCTAssertEqual(d.model.state.step, .table)
        d.press(.function(10))
        XCTAssertEqual(d.model.state.focus, .issue(0))
        d.press(.enter)
        XCTAssertEqual(d.model.currentOperation, 1)
        XCTAssertEqual(d.model.state.focus, .change(.mapTarget("IN_REVIEW")))
        XCTAssertEqual(d.model.spec.operations.map(\.key), ["add_columns", "alter_enum"])
    }

    func testAnEarlierNewTablesProblemOpensItsStepAndField() {
        var d = Driver()
        d.answerInvoices()
        d.model.testSetEnumDefault(column: 1, "LOST")
        d.press(.function(10))
        d.model.testFocus(.addOperation)
        d.press(.enter)
        d.pick("Drop a table")
        d.type("webhooks")
        d.press(.function(10))
        let issue = d.model.issues.first { $0.field.hasPrefix("operations[0].create_table.columns[2].default") }
        XCTAssertNotNil(issue, "\(d.model.issues)")
        d.model.testFocus(.issue(0))
        d.press(.enter)
        // The table's own steps again, at the enum default of status, its typing intact.
        XCTAssertEqual(d.model.currentOperation, 0)
        XCTAssertEqual(d.model.state.step, .enums)
        XCTAssertEqual(d.model.state.focus, .enumDefault(1))
        XCTAssertEqual(d.model.state.table.name, "invoices")
        XCTAssertEqual(d.model.state.steps, [.description, .operation, .table, .columns, .enums, .foreignKeys, .indexes, .review])
        d.press(.control("u"))
        d.type("DRAFT")
        d.press(.function(10))
        XCTAssertEqual(d.model.issues, [])
        XCTAssertEqual(d.model.spec.operations.map(\.key), ["create_table", "drop_table"])
    }

    /// + Add another operation, then Empty: the migration still has the first one, whose problem
    /// Review lists as an operation's and opens.
    func testAProblemOfTheOnlyOperationOpensItAfterAnEmptyOne() throws {
        var d = try exampleDriver()
        d.choose(description: "retire in review status", operation: "Add or remove enum values")
        removeInReview(&d)
        addAnother(&d, "Empty (TODO template)")
        XCTAssertEqual(d.model.state.step, .review)
        XCTAssertNil(d.model.currentOperation)
        XCTAssertTrue(d.text.contains("Operation 1: rows of tasks"), d.text)
        d.model.testFocus(.issue(0))
        d.press(.enter)
        XCTAssertEqual(d.model.state.operation, .alterEnum)
        XCTAssertEqual(d.model.currentOperation, 0)
        XCTAssertEqual(d.model.state.focus, .change(.mapTarget("IN_REVIEW")))
    }

    func testAnOperationIsRemovedFromReviewAfterAsking() throws {
        var d = try exampleDriver()
        d.choose(description: "three changes", operation: "Add columns")
        addArchivedAt(&d)
        addAnother(&d, "Create an index")
        d.type("tasks")
        d.press(.enter)
        d.type("status")
        addAnother(&d, "Rename a table")
        d.type("webhooks")
        d.press(.enter)
        d.type("hooks")
        d.press(.function(10))
        XCTAssertEqual(d.model.spec.operations.map(\.key), ["add_columns", "create_index", "rename_table"])
        d.model.testFocus(.operationRow(1))
        // The footer offers delete on a row, from the key table.
        XCTAssertTrue(d.screen.line(23).contains("d delete"), d.screen.line(23))
        d.press(.character("d"))
        XCTAssertTrue(d.text.contains("Remove operation 2 (create_index tasks (status))"), d.text)
        d.press(.character("n"))
        XCTAssertEqual(d.model.spec.operations.count, 3, "n keeps it")
        d.press(.character("d"), .character("y"))
        XCTAssertEqual(d.model.spec.operations, [
            .addColumns(AddColumns(table: "projects", columns: [Column(name: "archived_at", type: .datetime)])),
            .renameTable(RenameTable(table: "webhooks", to: "hooks")),
        ])
        XCTAssertEqual(d.model.state.focus, .operationRow(1))
        XCTAssertTrue(d.text.contains("2. rename_table webhooks → hooks"), d.text)
        try assertPreviewIsTheCLIFile(d)
        // Down to one: the list goes, and the one left is the one being answered.
        d.press(.character("d"), .character("y"))
        XCTAssertEqual(d.model.spec.operations.map(\.key), ["add_columns"])
        XCTAssertEqual(d.model.state.operation, .addColumns)
        XCTAssertFalse(d.text.contains("Operations, in order"), d.text)
        XCTAssertEqual(d.model.state.focus, .write)
    }

    func testOperationsMoveUpAndDown() throws {
        var d = try exampleDriver()
        d.choose(description: "two changes", operation: "Add columns")
        addArchivedAt(&d)
        addAnother(&d, "Rename a table")
        d.type("webhooks")
        d.press(.enter)
        d.type("hooks")
        d.press(.function(10))
        d.model.testFocus(.operationRow(0))
        d.press(.character("]"))
        XCTAssertEqual(d.model.spec.operations.map(\.key), ["rename_table", "add_columns"])
        XCTAssertEqual(d.model.state.focus, .operationRow(1))
        // The one being answered moved with its answers: rename_table is still it.
        XCTAssertEqual(d.model.state.operation, .renameTable)
        XCTAssertEqual(d.model.currentOperation, 0)
        XCTAssertTrue(d.text.contains("1. rename_table webhooks → hooks"), d.text)
        try assertPreviewIsTheCLIFile(d)
        d.press(.character("]"))
        XCTAssertEqual(d.model.spec.operations.map(\.key), ["rename_table", "add_columns"], "the last one stays last")
        d.press(.character("["))
        XCTAssertEqual(d.model.spec.operations.map(\.key), ["add_columns", "rename_table"])
        XCTAssertEqual(d.model.state.focus, .operationRow(0))
    }

    func testReviewWithSeveralOperations80x24() throws {
        var d = try exampleDriver()
        d.choose(description: "archive projects and block tasks", operation: "Add columns")
        addArchivedAt(&d)
        addAnother(&d, "Add or remove enum values")
        removeInReview(&d)
        d.press(.function(10))
        Golden.check(d.screen, "review-operations-80x24")
    }
}

/// `"safe": false` from the wizard: the whole migration on Review, or one operation on its step.
final class LockSafeTests: XCTestCase {
    func indexOnTaskStatus() throws -> Driver {
        var d = try Driver.example()
        d.choose(description: "index task status", operation: "Create an index")
        d.type("tasks")
        d.press(.enter)
        d.type("status")
        return d
    }

    var python: (Driver) -> String { { $0.model.preview.python.map(\.text).joined(separator: "\n") } }

    func testSafeOffForTheMigrationOnReview() throws {
        var d = try indexOnTaskStatus()
        d.press(.function(10))
        XCTAssertEqual(d.model.state.focus, .write, "Write keeps the focus on Review")
        XCTAssertTrue(d.text.contains("[x] Lock-safe on PostgreSQL"), d.text)
        XCTAssertTrue(python(d).contains("autocommit_block"), python(d))
        d.model.testFocus(.lockSafe)
        d.press(.character(" "))
        XCTAssertEqual(d.model.spec.safe, false)
        XCTAssertTrue(d.text.contains("[ ] Lock-safe on PostgreSQL"), d.text)
        XCTAssertFalse(python(d).contains("autocommit_block"), python(d))
        XCTAssertFalse(python(d).contains("postgresql_concurrently"), python(d))
        XCTAssertTrue(d.model.spec.jsonText.contains("\"safe\" : false"), d.model.spec.jsonText)
        try assertPreviewIsTheCLIFile(d)
        XCTAssertEqual(try SpecReader.read(json: Data(d.model.spec.jsonText.utf8)).safe, false)
        // The operation's own toggle stands disabled, and says why.
        d.press(.escape)
        XCTAssertEqual(d.model.state.step, .change)
        let toggle = try XCTUnwrap(d.model.fields.first { $0.id == .change(.safe) })
        XCTAssertFalse(toggle.enabled)
        XCTAssertTrue(toggle.hint?.contains("Review") ?? false, toggle.hint ?? "")
    }

    func testSafeOffForOneOperation() throws {
        var d = try indexOnTaskStatus()
        // Enter passes over the toggle: from the last field it continues to Review.
        d.model.testFocus(.change(.predicate))
        d.press(.enter)
        XCTAssertEqual(d.model.state.step, .review)
        d.press(.escape)
        d.model.testFocus(.change(.safe))
        XCTAssertTrue(d.text.contains("[x] Lock-safe on PostgreSQL"), d.text)
        d.press(.character(" "))
        // A second operation keeps the lock-safe forms.
        d.press(.function(10))
        d.model.testFocus(.addOperation)
        d.press(.enter)
        for _ in 0..<20 where !d.text.contains("‹ Add a CHECK ›") { d.press(.right) }
        d.press(.enter)
        d.type("projects")
        d.press(.enter)
        d.type("budget")
        d.press(.enter, .enter)
        d.type("budget >= 0")
        XCTAssertEqual(d.model.state.change.safe, true, "a new operation starts lock-safe")
        XCTAssertEqual(d.model.spec.operations, [
            .createIndex(CreateIndex(table: "tasks", columns: ["status"], safe: false)),
            .addCheck(AddCheck(table: "projects", column: "budget", expression: "budget >= 0")),
        ])
        XCTAssertNil(d.model.spec.safe)
        let text = python(d)
        XCTAssertFalse(text.contains("postgresql_concurrently"), text)
        XCTAssertTrue(text.contains("postgresql_not_valid=True"), text)
        XCTAssertEqual(d.model.issues, [])
        try assertPreviewIsTheCLIFile(d)
    }

    func testAddColumnsHasTheToggleOnItsTableStepAndEnterStillContinues() throws {
        var d = try Driver.example()
        d.choose(description: "add archived at", operation: "Add columns")
        d.type("projects")
        XCTAssertTrue(d.model.fields.contains { $0.id == .change(.safe) }, d.text)
        d.press(.enter)
        XCTAssertEqual(d.model.state.step, .columns)
    }

    func testANewTableOnlyHasNoToggle() {
        var d = Driver()
        d.answerInvoices()
        XCTAssertFalse(d.model.fields.contains { $0.id == .lockSafe }, d.text)
        XCTAssertFalse(d.model.spec.jsonText.contains("safe"), d.model.spec.jsonText)
    }
}
