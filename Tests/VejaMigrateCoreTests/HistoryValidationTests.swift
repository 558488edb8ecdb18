import Foundation
import XCTest

@testable import VejaMigrateCore

/// `SpecValidator.historyIssues`: a spec checked against the schema the history builds.
final class HistoryValidationTests: XCTestCase {
    private static let example = try! VersionsDirectory(url: SchemaFixtures.exampleVersions).readHistory()
    private var schema: HistorySchema { Self.example.schema }

    private func table(_ name: String, _ columns: [Column], timestamps: Bool = false) -> MigrationSpec {
        MigrationSpec(description: "add \(name)", operations: [.createTable(CreateTable(name: name, timestamps: timestamps, columns: columns))])
    }

    private let id = Column(name: "id", type: .uuid, primaryKey: true)

    private func fk(_ name: String, _ type: ColumnType, _ table: String, _ column: String = "id", nullable: Bool? = nil) -> Column {
        Column(name: name, type: type, nullable: nullable, foreignKey: ForeignKey(table: table, column: column))
    }

    func testAGoodSpecHasNoIssues() {
        let (errors, warnings) = SpecValidator.historyIssues(in: TestSupport.invoicesSpec(), schema: schema)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(warnings, [])
    }

    func testCreatingATableThatExists() {
        let (errors, warnings) = SpecValidator.historyIssues(in: table("projects", [id]), schema: schema)
        XCTAssertEqual(errors, [SpecIssue(field: "create_table.name", problem: "projects already exists (created in 20250903_000002_create_projects_table.py)", fix: "choose another name")])
        XCTAssertEqual(warnings, [])
    }

    /// A history whose `legacy_flags` table only a DO block (which the reader does not follow) creates.
    private static let unreadable = SchemaFixtures.linear([
        SchemaFixtures.users,
        "op.execute(\"DO $$ BEGIN CREATE TABLE legacy_flags (key varchar(64) PRIMARY KEY); END $$\")",
    ])

    func testCreatingATableThatSQLCreatedIsAnError() {
        // The example creates feature_flags in op.execute SQL, which is read like any operation.
        let (errors, warnings) = SpecValidator.historyIssues(in: table("feature_flags", [id]), schema: schema)
        XCTAssertEqual(errors.map(\.field), ["create_table.name"])
        XCTAssertTrue(errors[0].problem.contains("created in 20251117_000014_create_feature_flags_table.py"), errors[0].problem)
        XCTAssertEqual(warnings, [])
    }

    func testCreatingATableThatUnreadableSQLCreatedIsAWarning() {
        let (errors, warnings) = SpecValidator.historyIssues(in: table("legacy_flags", [id]), schema: Self.unreadable.schema)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(warnings.map(\.field), ["create_table.name"])
        XCTAssertTrue(warnings[0].problem.contains("20260101_000002_step_2.py:21"), warnings[0].problem)
    }

    func testForeignKeyToAnUnknownTableListsCloseNames() {
        let (errors, _) = SpecValidator.historyIssues(in: table("widgets", [id, fk("project_id", .uuid, "project")]), schema: schema)
        XCTAssertEqual(errors, [SpecIssue(
            field: "create_table.columns[1].foreign_key.table", problem: "\"project\" is not a table in the history",
            fix: "did you mean projects, project_members? Or create project first")])
    }

    func testForeignKeyToAnUnknownTableWithNothingCloseListsTheTables() {
        let (errors, _) = SpecValidator.historyIssues(in: table("widgets", [id, fk("x_id", .uuid, "zzzqqq")]), schema: schema)
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors[0].fix.hasPrefix("create zzzqqq first, or reference one of: api_keys, attachments"), errors[0].fix)
    }

    func testForeignKeyToATableOnlyUnreadableSQLCreatedIsAWarning() {
        let (errors, warnings) = SpecValidator.historyIssues(in: table("widgets", [id, fk("flag_key", .string, "legacy_flags", "key")]), schema: Self.unreadable.schema)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(warnings.map(\.field), ["create_table.columns[1].foreign_key.table"])
        XCTAssertTrue(warnings[0].problem.contains("raw SQL at 20260101_000002_step_2.py:21"), warnings[0].problem)
    }

    func testForeignKeyToATableSQLCreatedIsChecked() {
        let (errors, warnings) = SpecValidator.historyIssues(in: table("widgets", [id, fk("flag_key", .string, "feature_flags", "key")]), schema: schema)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(warnings, [])
        let (wrong, _) = SpecValidator.historyIssues(in: table("widgets", [id, fk("flag_key", .uuid, "feature_flags", "key")]), schema: schema)
        XCTAssertEqual(wrong.map(\.field), ["create_table.columns[1].foreign_key.column"])
    }

    func testForeignKeyToAnUnknownColumnListsTheColumns() {
        let (errors, _) = SpecValidator.historyIssues(in: table("widgets", [id, fk("project_id", .uuid, "projects", "nope")]), schema: schema)
        XCTAssertEqual(errors, [SpecIssue(
            field: "create_table.columns[1].foreign_key.column", problem: "projects has no column \"nope\"",
            fix: "reference one of: id, owner_id, name, description, status, created_at, updated_at, budget, currency")])
    }

    func testAnIndexInRawSQLDoesNotExcuseAnUnknownColumn() {
        // 000014 creates an index on tasks in raw SQL: that cannot add a column.
        let (errors, warnings) = SpecValidator.historyIssues(in: table("widgets", [id, fk("task_id", .uuid, "tasks", "nope")]), schema: schema)
        XCTAssertEqual(errors.map(\.field), ["create_table.columns[1].foreign_key.column"])
        XCTAssertEqual(warnings, [])
    }

    func testForeignKeyTypeMustMatch() {
        let (errors, _) = SpecValidator.historyIssues(in: table("widgets", [id, fk("project_id", .integer, "projects")]), schema: schema)
        XCTAssertEqual(errors, [SpecIssue(
            field: "create_table.columns[1].foreign_key.column",
            problem: "project_id is integer, but projects.id is postgresql.UUID(as_uuid=True) (a uuid column): the foreign key cannot match",
            fix: "reference an integer column of projects, or change project_id's type to uuid")])
        // Reported on the foreign key, with a column of the right family to reference when the table has one.
        let (more, _) = SpecValidator.historyIssues(in: table("widgets", [id, fk("owner_email", .uuid, "users", "email")]), schema: schema)
        XCTAssertEqual(more.map(\.field), ["create_table.columns[1].foreign_key.column"])
        XCTAssertEqual(more[0].fix, "reference a uuid column such as users.id, or change owner_email's type to string")
        // Integer families match each other.
        let (none, _) = SpecValidator.historyIssues(in: table("widgets", [id, fk("log_id", .integer, "audit_log")]), schema: schema)
        XCTAssertEqual(none, [])
    }

    func testForeignKeyToAColumnThatIsNotUnique() {
        let (errors, _) = SpecValidator.historyIssues(in: table("widgets", [id, fk("owner_name", .string, "users", "full_name")]), schema: schema)
        XCTAssertEqual(errors, [SpecIssue(
            field: "create_table.columns[1].foreign_key.column",
            problem: "users.full_name is neither the primary key nor unique, so PostgreSQL cannot reference it",
            fix: "reference users.id (its primary key), or make full_name unique first")])
        // A column of a composite primary key is not unique by itself.
        let (composite, _) = SpecValidator.historyIssues(in: table("widgets", [id, fk("member_id", .uuid, "project_members", "user_id")]), schema: schema)
        XCTAssertEqual(composite.map(\.field), ["create_table.columns[1].foreign_key.column"])
    }

    func testSelfReferenceAndEarlierOperationsAreValid() {
        let parent = Column(name: "parent_id", type: .uuid, foreignKey: ForeignKey(table: "folders", column: "id"))
        var spec = table("folders", [id, parent])
        spec.operations.append(.createTable(CreateTable(name: "files", columns: [id, fk("folder_id", .uuid, "folders")])))
        let (errors, warnings) = SpecValidator.historyIssues(in: spec, schema: schema)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(warnings, [])
        // ... and checked like any other table.
        var bad = table("folders", [id])
        bad.operations.append(.createTable(CreateTable(name: "files", columns: [id, fk("folder_id", .integer, "folders", "nope")])))
        let (errs, _) = SpecValidator.historyIssues(in: bad, schema: schema)
        XCTAssertEqual(errs.map(\.field), ["operations[1].create_table.columns[1].foreign_key.column"])
    }

    func testInvalidNamesAreLeftToTheSpecValidator() {
        let (errors, warnings) = SpecValidator.historyIssues(in: table("Projects", [id, fk("x", .uuid, "Nope")]), schema: schema)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(warnings, [])
    }

    func testAnEmptyHistory() {
        let (errors, _) = SpecValidator.historyIssues(in: table("widgets", [id, fk("project_id", .uuid, "projects")]), schema: HistorySchema())
        XCTAssertEqual(errors.map(\.fix), ["the history creates no tables yet: create projects first"])
    }

    func testSQLThatAddsAColumnIsRead() {
        let history = SchemaFixtures.linear([SchemaFixtures.users, "op.execute(\"ALTER TABLE users ADD COLUMN code text UNIQUE\")"])
        let (errors, warnings) = SpecValidator.historyIssues(in: table("widgets", [id, fk("user_code", .string, "users", "code")]), schema: history.schema)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(history.schema.tables["users"]?.uniques.last, SchemaUnique(name: "users_code_key", columns: ["code"]))
    }

    func testUnreadableSQLThatMayAddColumnsMakesAnUnknownColumnAWarning() {
        let history = SchemaFixtures.linear([SchemaFixtures.users, "op.execute(\"DO $$ BEGIN ALTER TABLE users ADD COLUMN code text UNIQUE; END $$\")"])
        let (errors, warnings) = SpecValidator.historyIssues(in: table("widgets", [id, fk("user_code", .string, "users", "code")]), schema: history.schema)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(warnings.map(\.field), ["create_table.columns[1].foreign_key.column"])
    }

    // MARK: - Through the planner

    func testThePlannerStopsOnHistoryErrorsAndReturnsWarnings() throws {
        let graph = Self.example.graph
        let date = MigrationDate("2026-11-25")!
        let bad = MigrationRequest(spec: table("projects", [id]), date: date)
        let current = schema
        let issues = TestSupport.issues { () throws(VejaMigrateError) in _ = try MigrationPlanner.plan(bad, graph: graph, schema: current) }
        XCTAssertEqual(issues.map(\.field), ["create_table.name"])
        // Without a schema the planner does not look at the history's tables.
        XCTAssertNoThrow(try MigrationPlanner.plan(bad, graph: graph))
        let unreadable = Self.unreadable
        let warned = try MigrationPlanner.plan(MigrationRequest(spec: table("widgets", [id, fk("flag_key", .string, "legacy_flags", "key")]), date: date), graph: unreadable.graph, schema: unreadable.schema)
        XCTAssertEqual(warned.warnings.map(\.field), ["create_table.columns[1].foreign_key.table"])
        XCTAssertTrue(warned.warnings[0].warningDescription.hasPrefix("warning: create_table.columns[1].foreign_key.table: "))
    }

    /// A data migration's bind parameters are not tables: a foreign key to `number` is an error, not a warning.
    func testBindParametersOfADataMigrationAreNotTables() {
        let history = SchemaFixtures.linear([
            SchemaFixtures.users,
            """
            conn = op.get_bind()
            conn.execute(sa.text("UPDATE users SET email = :number WHERE id = :id"), {"id": 1, "number": "x"})
            """,
        ])
        let (errors, warnings) = SpecValidator.historyIssues(in: table("widgets", [id, fk("number_id", .uuid, "number")]), schema: history.schema)
        XCTAssertEqual(errors.map(\.field), ["create_table.columns[1].foreign_key.table"])
        XCTAssertEqual(warnings, [])
    }
}
