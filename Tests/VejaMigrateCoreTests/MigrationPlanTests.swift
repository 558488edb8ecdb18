import Foundation
import XCTest

@testable import VejaMigrateCore

/// `MigrationPlan`: operations lowered against the example history into steps with inverses,
/// rendered as Python (golden files `op_*.py`) and SQL, and checked operation by operation.
final class MigrationPlanTests: XCTestCase {
    private static let example = try! VersionsDirectory(url: SchemaFixtures.exampleVersions).readHistory()
    private var schema: HistorySchema { Self.example.schema }

    private func spec(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> MigrationSpec {
        do {
            return try SpecReader.read(json: Data(json.utf8))
        } catch {
            XCTFail("spec does not read: \(error.message)", file: file, line: line)
            return MigrationSpec()
        }
    }

    private func plan(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> MigrationPlan {
        MigrationPlan(spec(json, file: file, line: line), schema: schema)
    }

    private func python(_ plan: MigrationPlan, _ description: String) -> String {
        MigrationRenderer.python(
            header: MigrationHeaderFields(description: description, revision: "20260212_000018", downRevisions: ["20260211_000017"], date: MigrationRendererTests.date),
            plan: plan)
    }

    /// The golden Python file of one operation, planned without errors or warnings.
    private func assertOperation(_ name: String, _ body: String, warnings: [String] = [], file: StaticString = #filePath, line: UInt = #line) {
        let p = plan("{\"description\": \"\(name)\", \(body)}", file: file, line: line)
        XCTAssertEqual(p.errors, [], file: file, line: line)
        XCTAssertEqual(p.warnings.map(\.field), warnings, file: file, line: line)
        MigrationRendererTests.assertGolden(python(p, name), "op_\(name).py", file: file, line: line)
    }

    // MARK: - One golden file per operation

    func testAddColumns() {
        assertOperation("add_columns", """
            "add_columns": {"table": "projects", "columns": [
              {"name": "archived_at", "type": "datetime", "index": true},
              {"name": "kind", "type": "string", "length": 16, "nullable": false, "default": "A", "enum": ["A", "B"]},
              {"name": "reviewer_id", "type": "uuid", "foreign_key": {"table": "users", "ondelete": "SET NULL"}}]}
            """)
    }

    func testDropColumns() { assertOperation("drop_columns", "\"drop_columns\": {\"table\": \"tasks\", \"columns\": [\"assignee_id\", \"due_date\"]}") }
    func testRenameColumn() { assertOperation("rename_column", "\"rename_column\": {\"table\": \"projects\", \"column\": \"description\", \"to\": \"summary\"}") }

    func testAlterColumnNotNullWithBackfill() {
        assertOperation("alter_column_not_null", "\"alter_column\": {\"table\": \"tasks\", \"column\": \"due_date\", \"nullable\": false, \"backfill\": \"2026-01-01\"}")
    }

    func testAlterColumnTypeAndDefault() {
        assertOperation("alter_column_type", "\"alter_column\": {\"table\": \"projects\", \"column\": \"name\", \"type\": \"string\", \"length\": 512, \"default\": \"untitled\"}")
    }

    func testAlterEnum() {
        assertOperation("alter_enum", """
            "alter_enum": {"table": "projects", "column": "status", "values": ["DRAFT", "ACTIVE", "DONE"], "default": "ACTIVE",
                           "map": {"ON_HOLD": "ACTIVE", "COMPLETED": "DONE", "ARCHIVED": "DONE"}}
            """, warnings: ["alter_enum.values"])  // DONE is new: its downgrade fails once rows hold it
    }

    func testAddCheck() { assertOperation("add_check", "\"add_check\": {\"table\": \"projects\", \"column\": \"budget\", \"expression\": \"budget >= 0\"}") }

    func testCreateIndexPartialUnique() {
        assertOperation("create_index", "\"create_index\": {\"table\": \"tasks\", \"columns\": [\"project_id\", \"title\"], \"unique\": true, \"where\": \"status <> 'DONE'\"}")
    }

    func testDropIndexPutsBackThePredicate() {
        assertOperation("drop_index", "\"drop_index\": {\"table\": \"tasks\", \"name\": \"idx_tasks_open_due_date\"}")
    }

    func testAddForeignKey() {
        assertOperation("add_foreign_key", "\"add_foreign_key\": {\"table\": \"audit_log\", \"column\": \"entity_id\", \"references\": {\"table\": \"projects\", \"ondelete\": \"SET NULL\"}}")
    }

    func testDropConstraint() { assertOperation("drop_constraint", "\"drop_constraint\": {\"table\": \"tasks\", \"name\": \"fk_tasks_project_id\"}") }
    func testRenameTable() { assertOperation("rename_table", "\"rename_table\": {\"table\": \"comments\", \"to\": \"notes\"}") }
    func testDropTableRebuildsItWhole() { assertOperation("drop_table", "\"drop_table\": {\"table\": \"invitations\"}") }

    func testUnsafeCreateIndexAndCheck() {
        assertOperation("unsafe", """
            "safe": false, "operations": [
              {"create_index": {"table": "comments", "columns": ["edited_at"]}},
              {"add_check": {"table": "projects", "column": "budget", "expression": "budget >= 0"}}]
            """)
    }

    // MARK: - The plan

    func testCreateTableIsOneStepAndItsInverse() {
        let p = MigrationPlan(operations: TestSupport.invoicesSpec().operations)
        guard case .createTable(let t)? = p.upgrade.first, p.upgrade.count == 1 else { return XCTFail("\(p.upgrade)") }
        XCTAssertEqual(p.downgrade, [.dropTable(t)])
    }

    func testEveryStepUndoesItsInverse() {
        let p = plan("""
            {"description": "x", "operations": [
              {"add_columns": {"table": "projects", "columns": [{"name": "kind", "type": "string", "enum": ["A"], "index": true}]}},
              {"drop_columns": {"table": "tasks", "columns": ["assignee_id"]}},
              {"alter_column": {"table": "projects", "column": "name", "type": "text"}},
              {"rename_table": {"table": "comments", "to": "notes"}}]}
            """)
        XCTAssertEqual(p.errors, [])
        for step in p.upgrade {
            let back = step.inverse.flatMap(\.inverse)
            if case .validateConstraint = step { continue }
            XCTAssertTrue(back.contains(step), "\(step) is not the inverse of its inverse: \(back)")
        }
    }

    func testSafeModeIsOffForTablesOfTheSameMigration() {
        let p = plan("""
            {"description": "x", "operations": [
              {"create_table": {"name": "invoices", "columns": [{"name": "id", "type": "uuid", "primary_key": true}]}},
              {"add_columns": {"table": "invoices", "columns": [{"name": "code", "type": "string", "enum": ["A"], "index": true}]}}]}
            """)
        XCTAssertEqual(p.errors, [])
        let sql = SQLRenderer.sql(plan: p, revision: "r")
        XCTAssertFalse(sql.contains("CONCURRENTLY"), sql)
        XCTAssertFalse(sql.contains("NOT VALID"), sql)
        XCTAssertFalse(sql.contains("-- lock:"), sql)
    }

    func testSQLMarksEachStatementWithItsLock() {
        let sql = SQLRenderer.sql(plan: plan("{\"description\": \"x\", \"create_index\": {\"table\": \"tasks\", \"columns\": [\"title\"]}}"), revision: "r")
        XCTAssertTrue(sql.contains("-- lock: SHARE UPDATE EXCLUSIVE on tasks\nCREATE INDEX CONCURRENTLY idx_tasks_title ON tasks (title);"), sql)
        XCTAssertTrue(sql.contains("-- lock: SHARE UPDATE EXCLUSIVE on tasks\nDROP INDEX CONCURRENTLY idx_tasks_title;"), sql)
    }

    // MARK: - Checked operation by operation

    func testAnOperationIsCheckedAgainstWhatTheEarlierOnesLeft() {
        let p = plan("""
            {"description": "x", "operations": [
              {"add_columns": {"table": "comments", "columns": [{"name": "invoice_id", "type": "uuid"}]}},
              {"add_foreign_key": {"table": "comments", "column": "invoice_id", "references": {"table": "projects"}}},
              {"drop_constraint": {"table": "tasks", "name": "fk_tasks_project_id"}},
              {"drop_constraint": {"table": "task_labels", "name": "fk_task_labels_task_id"}},
              {"drop_constraint": {"table": "comments", "name": "fk_comments_task_id"}},
              {"drop_constraint": {"table": "attachments", "name": "fk_attachments_task_id"}},
              {"drop_table": {"table": "tasks"}},
              {"drop_columns": {"table": "comments", "columns": ["invoice_id"]}}]}
            """)
        XCTAssertEqual(p.errors, [])
        XCTAssertEqual(p.operations.count, 8)
        XCTAssertTrue(p.operations.allSatisfy { !$0.isEmpty })
    }

    func testDroppingATableOthersReferenceSaysWhichKeysToDropFirst() {
        let p = plan("{\"description\": \"x\", \"drop_table\": {\"table\": \"tasks\"}}")
        XCTAssertEqual(p.errors.map(\.field), Array(repeating: "drop_table.table", count: 3))
        XCTAssertTrue(p.errors[0].problem.contains("references tasks (fk_"), p.errors[0].problem)
        XCTAssertTrue(p.errors[0].fix.contains("drop_constraint"), p.errors[0].fix)
    }

    func testUnknownTableAndColumn() {
        let p = plan("""
            {"description": "x", "operations": [
              {"add_columns": {"table": "project", "columns": [{"name": "a", "type": "text"}]}},
              {"drop_columns": {"table": "projects", "columns": ["legacy_code"]}}]}
            """)
        XCTAssertEqual(p.errors, [
            SpecIssue(field: "operations[0].add_columns.table", problem: "\"project\" is not a table in the history", fix: "did you mean projects, project_members?"),
            SpecIssue(field: "operations[1].drop_columns.columns[0]", problem: "projects has no column \"legacy_code\"",
                      fix: "use one of: id, owner_id, name, description, status, created_at, updated_at, budget, currency"),
        ])
    }

    func testNotNullColumnOnAnExistingTableNeedsADefault() {
        let p = plan("{\"description\": \"x\", \"add_columns\": {\"table\": \"projects\", \"columns\": [{\"name\": \"priority\", \"type\": \"integer\", \"nullable\": false}]}}")
        XCTAssertEqual(p.errors.map(\.field), ["add_columns.columns[0].nullable"])
        XCTAssertTrue(p.errors[0].fix.contains("\"default\": 0"), p.errors[0].fix)
    }

    func testRemovedEnumValuesWithoutMapAreNamed() {
        let p = plan("{\"description\": \"x\", \"alter_enum\": {\"table\": \"projects\", \"column\": \"status\", \"values\": [\"DRAFT\", \"ACTIVE\"], \"map\": {\"ON_HOLD\": \"ACTIVE\"}}}")
        XCTAssertEqual(p.errors.map(\.field), ["alter_enum.values"])
        XCTAssertTrue(p.errors[0].problem.hasPrefix("removes COMPLETED, ARCHIVED, which rows of projects may hold"), p.errors[0].problem)
        XCTAssertTrue(p.errors[0].fix.contains("\"map\": {\"COMPLETED\": \"DRAFT\", \"ARCHIVED\": \"DRAFT\"}"), p.errors[0].fix)
    }

    func testNotNullWithoutBackfillSaysWhatToGive() {
        let p = plan("{\"description\": \"x\", \"alter_column\": {\"table\": \"tasks\", \"column\": \"due_date\", \"nullable\": false}}")
        XCTAssertEqual(p.errors.map(\.field), ["alter_column.backfill"])
    }

    func testATableOnlyRawSQLTouchedIsAWarning() {
        var s = schema
        s.rawSQL["legacy"] = [RawSQLTouch(file: "x.py", line: 3, kind: .unreadable)]
        let p = MigrationPlan(spec("{\"description\": \"x\", \"create_index\": {\"table\": \"legacy\", \"columns\": [\"code\"]}}"), schema: s)
        XCTAssertEqual(p.errors, [])
        XCTAssertEqual(p.warnings.map(\.field), ["create_index.table", "create_index.columns[0]"])
        // A warning still writes the change.
        XCTAssertEqual(p.upgrade, [.createIndex(PlanIndex(name: "idx_legacy_code", table: "legacy", columns: ["code"]), concurrently: true)])
    }

    func testADropOnATableOnlyRawSQLTouchedIsRefused() {
        var s = schema
        s.rawSQL["legacy"] = [RawSQLTouch(file: "x.py", line: 3, kind: .unreadable)]
        let p = MigrationPlan(spec("{\"description\": \"x\", \"drop_table\": {\"table\": \"legacy\"}}"), schema: s)
        XCTAssertEqual(p.errors.map(\.field), ["drop_table.table"])
        XCTAssertTrue(p.errors[0].problem.hasSuffix("so the downgrade cannot be rebuilt"), p.errors[0].problem)
    }

    func testSpecReaderNamesBadFieldsOfTheNewOperations() {
        let issues = TestSupport.issues { () throws(VejaMigrateError) in
            _ = try SpecReader.read(json: Data("""
                {"description": "x", "operations": [
                  {"alter_column": {"table": "projects", "column": "name", "lenght": 3}},
                  {"add_check": {"table": "projects", "expression": "budget >= 0"}},
                  {"rename_table": {"table": "projects"}}]}
                """.utf8))
        }
        XCTAssertEqual(issues.map(\.field), ["operations[0].alter_column.lenght", "operations[1].add_check.column", "operations[2].rename_table.to"])
    }

    /// Found by a new-user trial: the downgrade of an added value fails once rows hold it, and an
    /// unchanged list only locks the table.
    func testAlterEnumWarnsAboutTheDowngradeOfAddedValuesAndRefusesNoChange() {
        let added = plan("""
            {"description": "x", "alter_enum": {"table": "projects", "column": "status",
             "values": ["DRAFT", "ACTIVE", "ON_HOLD", "COMPLETED", "ARCHIVED", "CANCELLED"]}}
            """)
        XCTAssertEqual(added.errors, [])
        XCTAssertEqual(added.warnings.map(\.field), ["alter_enum.values"])
        XCTAssertTrue(added.warnings[0].problem.contains("fails once rows of projects hold it"), added.warnings[0].problem)
        let same = plan("""
            {"description": "x", "alter_enum": {"table": "projects", "column": "status",
             "values": ["DRAFT", "ACTIVE", "ON_HOLD", "COMPLETED", "ARCHIVED"]}}
            """)
        XCTAssertEqual(same.errors.map(\.field), ["alter_enum.values"])
    }
}
