import Foundation
import XCTest

@testable import VejaMigrateCore

/// `verify`'s pure parts: the plan, the generated environment, the facts and their comparison.
final class VerifyTests: XCTestCase {
    private func history(_ files: [(name: String, text: String)]) -> MigrationHistory { SchemaReader.history(files: files) }

    private let two = [
        SchemaFixtures.migration(1, down: nil, upgrade: #"op.create_table("projects", sa.Column("id", sa.Integer(), primary_key=True))"#),
        SchemaFixtures.migration(2, down: 1, upgrade: #"op.add_column("projects", sa.Column("note", sa.Text(), nullable=True))"#),
    ]

    func testThePlanOfTheHeadRunsTheHistoryToItsParentThenUpDownUp() throws {
        let plan = try VerifyPlan.make(graph: history(two).graph, revision: nil)
        XCTAssertEqual(plan.revision, TestSupport.rev(2))
        XCTAssertEqual(plan.parents, [TestSupport.rev(1)])
        XCTAssertEqual(plan.steps.map(\.title), [
            "upgrade to parent \(TestSupport.rev(1))",
            "upgrade to \(TestSupport.rev(2))",
            "downgrade to \(TestSupport.rev(1))",
            "downgrade restored the schema",
            "upgrade to \(TestSupport.rev(2)) again",
            "second upgrade built the same schema",
            "schema matches what `vejamigrate schema` reads",
        ])
        XCTAssertEqual(plan.steps.compactMap(\.alembicArguments), [
            ["upgrade", TestSupport.rev(1)], ["upgrade", TestSupport.rev(2)], ["downgrade", "-1"], ["upgrade", TestSupport.rev(2)],
        ])
    }

    func testTheFirstMigrationStartsFromAnEmptyDatabase() throws {
        let plan = try VerifyPlan.make(graph: history(two).graph, revision: TestSupport.rev(1))
        XCTAssertEqual(plan.steps[0], .upgradeToParent([]))
        XCTAssertEqual(plan.steps[0].alembicArguments, ["upgrade"])  // nothing to run: reflect the empty database
        XCTAssertEqual(plan.steps[2].title, "downgrade to base")
    }

    func testAnUnknownRevisionAndSeveralHeadsAreRefusedWithTheirCodes() {
        let forked = two + [SchemaFixtures.migration(3, down: 1, upgrade: "pass")]
        XCTAssertThrowsError(try VerifyPlan.make(graph: history(forked).graph, revision: nil)) { error in
            guard let p = error as? VerifyProblem, case .noSingleHead(let heads) = p else { return XCTFail("\(error)") }
            XCTAssertEqual(heads.count, 2)
            XCTAssertEqual(p.exitCode, 3)
            XCTAssertTrue(p.message.contains("vejamigrate verify REV"))
        }
        // Named, one head of several is fine.
        XCTAssertNoThrow(try VerifyPlan.make(graph: history(forked).graph, revision: TestSupport.rev(3)))
        XCTAssertThrowsError(try VerifyPlan.make(graph: history(two).graph, revision: "nope")) { error in
            XCTAssertEqual((error as? VerifyProblem)?.exitCode, 2)
        }
    }

    func testTheEnvironmentPointsAtTheVersionsDirectoryAndEscapesPercent() {
        let env = VerifyEnvironment(versionLocations: ["/p/100%/versions", "/q/versions"])
        let ini = env.files["alembic.ini"]!
        XCTAssertTrue(ini.contains("script_location = %(here)s"))
        XCTAssertTrue(ini.contains("path_separator = newline"))
        XCTAssertTrue(ini.contains("\n    /p/100%%/versions\n    /q/versions\n"), ini)
        XCTAssertTrue(env.files["env.py"]!.contains("target_metadata = None"))
        XCTAssertTrue(env.files["env.py"]!.contains(VerifyEnvironment.urlVariable))
        XCTAssertNotNil(env.files["script.py.mako"])
        XCTAssertTrue(env.files[VerifyEnvironment.scriptName]!.contains("def reflect_connection"))
    }

    private func reflected(_ json: String) -> ReflectedSchema {
        ReflectedSchema.decode("some noise first\n" + json)!
    }

    private let projectsPG = """
        {"dialect": "postgresql", "enums": {}, "tables": {"projects": {
          "columns": [
            {"name": "id", "type": "integer", "nullable": false, "default": "nextval('projects_id_seq'::regclass)", "identity": null},
            {"name": "status", "type": "character varying(32)", "nullable": false, "default": "'DRAFT'::character varying", "identity": null}],
          "primary_key": ["id"], "primary_key_name": "projects_pkey",
          "indexes": [{"name": "idx_projects_status", "keys": ["status"], "descending": [false], "unique": false, "method": "btree", "where": null}],
          "foreign_keys": [],
          "checks": [{"name": "chk_projects_status", "sqltext": "(status)::text = ANY ((ARRAY['DRAFT'::character varying, 'DONE'::character varying])::text[])", "validated": true}],
          "uniques": []}}}
        """

    func testTheStaticSchemaMatchesWhatPostgresPrintsBack() {
        let files = [SchemaFixtures.migration(1, down: nil, upgrade: """
            op.create_table(
                "projects",
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("status", sa.String(length=32), server_default=sa.text("'DRAFT'"), nullable=False),
                sa.CheckConstraint("status IN ('DRAFT','DONE')", name="chk_projects_status"),
            )
            op.create_index("idx_projects_status", "projects", ["status"])
            """)]
        let schema = history(files).schema
        XCTAssertEqual(VerifyChecks.staticReader(database: reflected(projectsPG), history: schema), [])
        // A table the reader did not see is a difference, named once.
        var more = reflected(projectsPG)
        more.tables["made_in_do"] = more.tables["projects"]
        let d = VerifyChecks.staticReader(database: more, history: schema)
        XCTAssertEqual(d.map(\.subject), ["table made_in_do"])
        XCTAssertEqual(d[0].describe(expectedName: "in the database", actualName: "in `vejamigrate schema`"), "table made_in_do: only in the database")
    }

    func testADowngradeThatChangesAFactNamesIt() {
        let before = reflected(projectsPG)
        var after = before
        after.tables["projects"]!.columns[1].nullable = true
        after.tables["projects"]!.indexes = []
        let failure = VerifyChecks.downgrade(before: before, afterDowngrade: after)
        guard case .downgradeChangedSchema(let d) = failure else { return XCTFail("\(String(describing: failure))") }
        XCTAssertEqual(d.map(\.subject), ["column projects.status nullable", "index projects.idx_projects_status"])
        XCTAssertEqual(d[0].describe(expectedName: "before", actualName: "after"), "column projects.status nullable: false before, true after")
        XCTAssertNil(VerifyChecks.downgrade(before: before, afterDowngrade: before))
        XCTAssertNil(VerifyChecks.upgradeAgain(first: before, second: before))
    }

    func testReflectionsAreComparedExactlyNotNormalised() {
        let before = reflected(projectsPG)
        var after = before
        after.tables["projects"]!.columns[1].default = "'DONE'::character varying"
        guard case .downgradeChangedSchema(let d) = VerifyChecks.downgrade(before: before, afterDowngrade: after) else { return XCTFail() }
        XCTAssertEqual(d.map(\.subject), ["column projects.status default"])
    }

    func testAForeignKeyIsReadWithTheScriptsKeys() {
        let json = """
            {"dialect": "postgresql", "enums": {"mood": ["sad", "ok"]}, "tables": {"members": {"columns": [], "primary_key": [],
             "primary_key_name": null, "indexes": [], "checks": [], "uniques": [], "foreign_keys": [{"name": "fk_members_project_id",
             "columns": ["project_id"], "referred_table": "projects", "referred_columns": ["id"], "ondelete": "CASCADE",
             "onupdate": null, "deferrable": false, "initially_deferred": false, "validated": false}]}}}
            """
        let facts = SchemaFacts.of(reflected(json))
        XCTAssertEqual(
            facts["foreign key members.fk_members_project_id"],
            "(project_id) -> projects(id) ondelete=CASCADE onupdate=NO ACTION deferrable=false initially_deferred=false validated=false")
        XCTAssertEqual(facts["enum mood"], "(sad, ok)")
    }

    func testTheNormaliserReadsPostgresSpellings() {
        XCTAssertEqual(SQLNormaliser.normalise("'DRAFT'::character varying"), "'DRAFT'")
        XCTAssertEqual(SQLNormaliser.normalise("'{}'::jsonb"), "'{}'")
        XCTAssertEqual(SQLNormaliser.normalise("'0'::integer"), "0")
        XCTAssertEqual(SQLNormaliser.normalise("(archived_at IS NULL)"), "archived_at is null")
        XCTAssertEqual(SQLNormaliser.normalise("NOW()"), "now()")
        XCTAssertEqual(SQLNormaliser.normalise(nil), "none")
        XCTAssertEqual(SQLNormaliser.normalise("lower((\"email\")::text)"), "lower(email)")
        XCTAssertEqual(SQLNormaliser.allowedValues("CHECK (status IN ('A', 'B'))")?.values, ["A", "B"])
        XCTAssertEqual(SQLNormaliser.allowedValues("((status)::text = ANY ((ARRAY['A'::character varying, 'it''s'::character varying])::text[]))")?.values, ["A", "it's"])
        XCTAssertNil(SQLNormaliser.allowedValues("budget >= 0"))
    }

    func testAPlainPostgresURLGetsTheDriverThePythonHas() {
        XCTAssertEqual(PostgresURL.withDriver("postgresql://u@h/db", psycopg: true, psycopg2: true), "postgresql+psycopg://u@h/db")
        XCTAssertEqual(PostgresURL.withDriver("postgres://u@h/db", psycopg: false, psycopg2: true), "postgresql+psycopg2://u@h/db")
        XCTAssertNil(PostgresURL.withDriver("postgresql://u@h/db", psycopg: false, psycopg2: false))
        XCTAssertEqual(PostgresURL.withDriver("postgresql+asyncpg://u@h/db", psycopg: true, psycopg2: false), "postgresql+asyncpg://u@h/db")
        XCTAssertEqual(PostgresURL.redacted("postgresql://u:p%40ss@h:5432/db"), "postgresql://u:***@h:5432/db")
        XCTAssertEqual(PostgresURL.redacted("postgresql://u@h/db"), "postgresql://u@h/db")
        var rng = SystemRandomNumberGenerator()
        let name = PostgresURL.temporaryDatabaseName(using: &rng)
        XCTAssertTrue(name.range(of: "^vejamigrate_verify_[0-9a-f]{12}$", options: .regularExpression) != nil, name)
    }

    func testThePythonIsTheFlagElseTheActiveVenvElseTheRepositorysElsePython3() {
        XCTAssertEqual(VerifyPython.candidates(flag: "/x/python", virtualEnv: "/v", repositoryTop: "/r"), ["/x/python"])
        XCTAssertEqual(
            VerifyPython.candidates(flag: nil, virtualEnv: "/v", repositoryTop: "/r"),
            ["/v/bin/python", "/r/.venv/bin/python", "/r/venv/bin/python", "python3"])
        XCTAssertEqual(VerifyPython.candidates(flag: nil, virtualEnv: "", repositoryTop: nil), ["python3"])
        XCTAssertEqual(VerifyDatabase.defaultChoice(postgresBinariesFound: true), .postgresCluster)
        XCTAssertEqual(VerifyDatabase.defaultChoice(postgresBinariesFound: false), .sqlite)
    }
}
