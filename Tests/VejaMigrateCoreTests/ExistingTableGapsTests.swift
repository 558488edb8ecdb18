import Foundation
import XCTest

@testable import VejaMigrateCore

/// The lock-safe and exact forms of issue 9's last gaps: a unique column added to a busy table,
/// type changes (`using`, casts back, rewrites marked), identity and serial columns put back by a
/// downgrade, and the NOT NULL backfill in batches.
final class ExistingTableGapsTests: XCTestCase {
    private static let example = try! VersionsDirectory(url: SchemaFixtures.exampleVersions).readHistory()

    private func plan(_ json: String, schema: HistorySchema = ExistingTableGapsTests.example.schema, file: StaticString = #filePath, line: UInt = #line) -> MigrationPlan {
        do {
            return MigrationPlan(try SpecReader.read(json: Data(json.utf8)), schema: schema)
        } catch {
            XCTFail("spec does not read: \(error.message)", file: file, line: line)
            return MigrationPlan(operations: [])
        }
    }

    private func python(_ plan: MigrationPlan) -> String {
        MigrationRenderer.python(
            header: MigrationHeaderFields(description: "x", revision: "20260212_000018", downRevisions: ["20260211_000017"], date: MigrationRendererTests.date),
            plan: plan)
    }

    private func sql(_ plan: MigrationPlan) -> String { SQLRenderer.sql(plan: plan, revision: "r") }

    // MARK: - A lock that safe mode cannot avoid, and how long it lasts

    /// A nullable column without a default is a catalogue change: `--sql` says the ACCESS EXCLUSIVE
    /// lock is brief, so it does not read as contradicting the lock-safe toggle. A column that needs
    /// its rows touched (a default, NOT NULL) gets no such words.
    func testANullableColumnWithoutDefaultIsMarkedCatalogOnly() {
        let brief = plan(#"{"description": "x", "add_columns": {"table": "projects", "columns": [{"name": "archived_at", "type": "datetime"}]}}"#)
        XCTAssertEqual(brief.errors, [])
        XCTAssertTrue(brief.upgrade[0].catalogOnly)
        XCTAssertTrue(sql(brief).contains("-- lock: ACCESS EXCLUSIVE on projects (brief: catalog only, no table scan)\nALTER TABLE projects ADD COLUMN archived_at"), sql(brief))
        // The downgrade drops the column: not an add, no such words.
        XCTAssertFalse(sql(brief).contains("(brief: catalog only, no table scan)\nALTER TABLE projects DROP COLUMN"), sql(brief))
        let withDefault = plan(#"{"description": "x", "add_columns": {"table": "projects", "columns": [{"name": "token", "type": "uuid", "default": "sql:gen_random_uuid()"}]}}"#)
        XCTAssertFalse(withDefault.upgrade.contains { $0.catalogOnly }, "\(withDefault.upgrade)")
        XCTAssertFalse(sql(withDefault).contains("catalog only"), sql(withDefault))
    }

    // MARK: - A unique column on an existing table

    func testUniqueColumnIsBuiltConcurrentlyThenAttached() {
        let p = plan(#"{"description": "x", "add_columns": {"table": "projects", "columns": [{"name": "code", "type": "string", "length": 32, "unique": true}]}}"#)
        XCTAssertEqual(p.errors, [])
        let index = PlanIndex(name: "uniq_projects_code", table: "projects", columns: ["code"], unique: true)
        XCTAssertEqual(Array(p.upgrade.dropFirst()), [
            .postgresOnly(.autocommit(.createIndex(index, concurrently: true))), .attachUniqueIndex("projects", name: "uniq_projects_code", columns: ["code"]),
        ])
        let text = sql(p)
        XCTAssertTrue(text.contains("-- lock: SHARE UPDATE EXCLUSIVE on projects\nCREATE UNIQUE INDEX CONCURRENTLY uniq_projects_code ON projects (code);"), text)
        XCTAssertTrue(text.contains("-- lock: ACCESS EXCLUSIVE on projects\nALTER TABLE projects ADD CONSTRAINT uniq_projects_code UNIQUE USING INDEX uniq_projects_code;"), text)
        XCTAssertFalse(text.contains("ADD CONSTRAINT uniq_projects_code UNIQUE (code)"), text)
        let file = python(p)
        XCTAssertTrue(file.contains("""
                if op.get_context().dialect.name == "postgresql":
                    with op.get_context().autocommit_block():
                        op.create_index("uniq_projects_code", "projects", ["code"], unique=True, postgresql_concurrently=True)
                if op.get_context().dialect.name == "postgresql":
                    op.execute("ALTER TABLE projects ADD CONSTRAINT uniq_projects_code UNIQUE USING INDEX uniq_projects_code")
                else:
                    with op.batch_alter_table("projects") as batch_op:
                        batch_op.create_unique_constraint("uniq_projects_code", ["code"])
            """), file)
        // The downgrade drops the constraint (and its index with it), and then the column.
        XCTAssertEqual(p.downgrade.first, .dropConstraint("projects", .unique(name: "uniq_projects_code", columns: ["code"]), safe: true))
        // The replay knows it as a unique constraint, not an index.
        var schema = Self.example.schema
        for change in p.upgrade.flatMap(\.schemaChanges) { schema.apply(LocatedChange(line: 0, change: change), file: "spec") }
        XCTAssertEqual(schema.tables["projects"]?.uniques.map(\.name), ["uniq_projects_code"])
        XCTAssertFalse(schema.tables["projects"]!.indexes.contains { $0.name == "uniq_projects_code" })
    }

    func testUniqueColumnIsPlainWhenUnsafe() {
        let p = plan(#"{"description": "x", "safe": false, "add_columns": {"table": "projects", "columns": [{"name": "code", "type": "string", "unique": true}]}}"#)
        XCTAssertEqual(p.upgrade.last, .addConstraint("projects", .unique(name: "uniq_projects_code", columns: ["code"]), notValid: false))
    }

    func testDroppedUniqueConstraintComesBackConcurrently() {
        let p = plan(#"{"description": "x", "drop_constraint": {"table": "attachments", "name": "uniq_attachments_storage_key"}}"#)
        XCTAssertEqual(p.errors, [])
        let text = sql(p)
        XCTAssertTrue(text.contains("CREATE UNIQUE INDEX CONCURRENTLY uniq_attachments_storage_key ON attachments (storage_key);"), text)
        XCTAssertTrue(text.contains("ADD CONSTRAINT uniq_attachments_storage_key UNIQUE USING INDEX uniq_attachments_storage_key;"), text)
    }

    // MARK: - Type changes

    func testTypeChangeWithoutAnAutomaticCastNeedsUsing() {
        for (column, type) in [("title", "integer"), ("title", "uuid"), ("priority", "boolean"), ("due_date", "integer")] {
            let p = plan(#"{"description": "x", "alter_column": {"table": "tasks", "column": "\#(column)", "type": "\#(type)"}}"#)
            XCTAssertEqual(p.errors.map(\.field), ["alter_column.type"] + (column == "priority" ? ["alter_column.default"] : []), "\(column) → \(type)")
            XCTAssertTrue(p.errors.first?.fix.contains("\"using\"") == true, "\(p.errors)")
        }
        let p = plan(#"{"description": "x", "alter_column": {"table": "tasks", "column": "title", "type": "integer", "using": "length(title)"}}"#)
        XCTAssertEqual(p.errors, [])
        XCTAssertTrue(sql(p).contains("ALTER TABLE tasks ALTER COLUMN title TYPE INTEGER USING length(title);"), sql(p))
        XCTAssertTrue(python(p).contains("postgresql_using=\"length(title)\""), python(p))
        // integer to varchar is an assignment cast: the way back needs no USING.
        XCTAssertTrue(sql(p).contains("ALTER TABLE tasks ALTER COLUMN title TYPE VARCHAR(255);"), sql(p))
    }

    func testTypeChangesPostgreSQLMakesItselfNeedNoUsing() {
        for (column, type) in [("title", "text"), ("priority", "bigint"), ("due_date", "datetime"), ("priority", "string")] {
            let p = plan(#"{"description": "x", "alter_column": {"table": "tasks", "column": "\#(column)", "type": "\#(type)"}}"#)
            XCTAssertEqual(p.errors, [], "\(column) → \(type)")
        }
    }

    func testTheDowngradeCastsBackAroundTheDefault() {
        // smallint → varchar is automatic; varchar → smallint is not, and the default '0' would not convert.
        let p = plan(#"{"description": "x", "alter_column": {"table": "tasks", "column": "priority", "type": "string", "length": 8}}"#)
        XCTAssertEqual(p.errors, [])
        let down = sql(p).components(separatedBy: "-- downgrade r")[1]
        let expected = [
            "ALTER TABLE tasks ALTER COLUMN priority DROP DEFAULT;", "ALTER TABLE tasks ALTER COLUMN priority TYPE SMALLINT USING CAST(priority AS SMALLINT);",
            "ALTER TABLE tasks ALTER COLUMN priority SET DEFAULT 0;",
        ]
        let statements = down.split(separator: "\n").filter { !$0.hasPrefix("--") && !$0.isEmpty }.map(String.init)
        XCTAssertEqual(statements, expected, down)
        XCTAssertTrue(python(p).contains("postgresql_using=\"CAST(priority AS SMALLINT)\""), python(p))
    }

    func testAUsingOnAColumnWithADefaultNeedsTheNewDefault() {
        let p = plan(#"{"description": "x", "alter_column": {"table": "tasks", "column": "priority", "type": "boolean", "using": "priority <> 0"}}"#)
        XCTAssertEqual(p.errors.map(\.field), ["alter_column.default"])
        let ok = plan(#"{"description": "x", "alter_column": {"table": "tasks", "column": "priority", "type": "boolean", "using": "priority <> 0", "default": false}}"#)
        XCTAssertEqual(ok.errors, [])
        let up = sql(ok).components(separatedBy: "-- downgrade r")[0].split(separator: "\n").filter { !$0.hasPrefix("--") && !$0.isEmpty }
        XCTAssertEqual(up, [
            "ALTER TABLE tasks ALTER COLUMN priority DROP DEFAULT;", "ALTER TABLE tasks ALTER COLUMN priority TYPE BOOLEAN USING priority <> 0;",
            "ALTER TABLE tasks ALTER COLUMN priority SET DEFAULT false;",
        ])
        // boolean has no cast to smallint: the way back goes through integer.
        XCTAssertTrue(sql(ok).contains("TYPE SMALLINT USING CAST(CAST(priority AS INTEGER) AS SMALLINT);"), sql(ok))
    }

    func testUsingIsChecked() throws {
        let cases: [(String, String)] = [
            (#""column": "title", "using": "length(title)""#, "alter_column.using"),  // no type
            (#""column": "title", "type": "integer", "using": "(SELECT 1)""#, "alter_column.using"),
            (#""column": "title", "type": "integer", "using": "1) -- x""#, "alter_column.using"),
            (#""column": "title", "type": "integer", "using": " ""#, "alter_column.using"),
        ]
        for (body, field) in cases {
            let spec = try SpecReader.read(json: Data(#"{"description": "x", "alter_column": {"table": "tasks", \#(body)}}"#.utf8))
            XCTAssertEqual(SpecValidator.issues(in: spec).map(\.field), [field], body)
        }
    }

    func testARewritingTypeChangeIsMarkedAndWarned() {
        let rewrite = plan(#"{"description": "x", "alter_column": {"table": "tasks", "column": "priority", "type": "integer"}}"#)
        XCTAssertEqual(rewrite.warnings.map(\.field), ["alter_column.type"])
        XCTAssertTrue(sql(rewrite).contains("-- lock: ACCESS EXCLUSIVE on tasks\n-- rewrites tasks: every row is copied and every index rebuilt while that lock is held\nALTER TABLE tasks ALTER COLUMN priority TYPE INTEGER;"), sql(rewrite))
        let widen = plan(#"{"description": "x", "alter_column": {"table": "tasks", "column": "title", "type": "string", "length": 512}}"#)
        XCTAssertEqual(widen.warnings, [])
        XCTAssertTrue(sql(widen).contains("-- lock: ACCESS EXCLUSIVE on tasks\nALTER TABLE tasks ALTER COLUMN title TYPE VARCHAR(512);"), sql(widen))
        // The way back narrows: that one rewrites.
        XCTAssertTrue(sql(widen).contains("-- rewrites tasks: every row is copied and every index rebuilt while that lock is held\nALTER TABLE tasks ALTER COLUMN title TYPE VARCHAR(255);"), sql(widen))
        let unsafe = plan(#"{"description": "x", "safe": false, "alter_column": {"table": "tasks", "column": "priority", "type": "integer"}}"#)
        XCTAssertEqual(unsafe.warnings, [])
    }

    func testPostgreSQLsNoRewriteList() {
        let none: [(String, String)] = [
            ("VARCHAR(32)", "VARCHAR(64)"), ("VARCHAR(32)", "TEXT"), ("TEXT", "VARCHAR"), ("NUMERIC(10, 2)", "NUMERIC(12, 2)"), ("NUMERIC(10, 2)", "NUMERIC"),
        ]
        for (a, b) in none { XCTAssertFalse(TypeConversion.rewrites(from: a, to: b, using: nil), "\(a) → \(b)") }
        let rewriting: [(String, String)] = [
            ("VARCHAR(64)", "VARCHAR(32)"), ("TEXT", "VARCHAR(32)"), ("NUMERIC(10, 2)", "NUMERIC(12, 3)"), ("NUMERIC(10, 2)", "NUMERIC(8, 2)"), ("NUMERIC", "NUMERIC(10, 2)"),
            ("INTEGER", "BIGINT"), ("SMALLINT", "INTEGER"), ("DATE", "TIMESTAMP WITH TIME ZONE"), ("VARCHAR(32)", "VARCHAR(64)"),
        ]
        for (a, b) in rewriting.dropLast() { XCTAssertTrue(TypeConversion.rewrites(from: a, to: b, using: nil), "\(a) → \(b)") }
        XCTAssertTrue(TypeConversion.rewrites(from: "VARCHAR(32)", to: "VARCHAR(64)", using: "upper(x)"))
    }

    // MARK: - Identity and serial columns come back

    private static let counters = SchemaFixtures.linear([
        """
        op.create_table(
            "counters",
            sa.Column("id", sa.Integer(), sa.Identity(always=True), primary_key=True),
            sa.Column("ticket", sa.BigInteger(), sa.Identity(), nullable=False),
            sa.Column("label", sa.Text(), nullable=True),
        )
        """,
        #"op.execute("CREATE TABLE tickets (id serial PRIMARY KEY, seq bigserial, note text)")"#,
    ]).schema

    func testADroppedIdentityColumnComesBackAnIdentity() {
        let p = plan(#"{"description": "x", "drop_columns": {"table": "counters", "columns": ["ticket"]}}"#, schema: Self.counters)
        XCTAssertEqual(p.errors, [])
        XCTAssertTrue(sql(p).contains("ALTER TABLE counters ADD COLUMN ticket BIGINT GENERATED BY DEFAULT AS IDENTITY;"), sql(p))
        XCTAssertTrue(python(p).contains(#"batch_op.add_column(sa.Column("ticket", sa.BigInteger(), sa.Identity(), nullable=False))"#), python(p))
    }

    func testADroppedTableComesBackWithItsIdentities() {
        let p = plan(#"{"description": "x", "drop_table": {"table": "counters"}}"#, schema: Self.counters)
        XCTAssertTrue(sql(p).contains("    id INTEGER GENERATED ALWAYS AS IDENTITY,\n    ticket BIGINT GENERATED BY DEFAULT AS IDENTITY,"), sql(p))
        XCTAssertTrue(python(p).contains(#"sa.Column("id", sa.Integer(), sa.Identity(always=True), nullable=False)"#), python(p))
    }

    func testADroppedSerialColumnComesBackSerial() {
        let p = plan(#"{"description": "x", "drop_columns": {"table": "tickets", "columns": ["seq"]}}"#, schema: Self.counters)
        XCTAssertEqual(p.errors, [])
        XCTAssertTrue(sql(p).contains("ALTER TABLE tickets ADD COLUMN seq BIGSERIAL NOT NULL;"), sql(p))
        XCTAssertTrue(python(p).contains("""
                if op.get_context().dialect.name == "postgresql":
                    op.execute("ALTER TABLE tickets ADD COLUMN seq BIGSERIAL NOT NULL")
                else:
                    with op.batch_alter_table("tickets") as batch_op:
                        batch_op.add_column(sa.Column("seq", sa.BigInteger(), nullable=False))
            """), python(p))
    }

    func testADroppedTableComesBackWithItsSerials() {
        let p = plan(#"{"description": "x", "drop_table": {"table": "tickets"}}"#, schema: Self.counters)
        let text = sql(p)
        XCTAssertTrue(text.contains("CREATE TABLE tickets (\n    id SERIAL NOT NULL,\n    note TEXT,\n    PRIMARY KEY (id)\n);"), text)
        XCTAssertTrue(text.contains("ALTER TABLE tickets ADD COLUMN seq BIGSERIAL NOT NULL;"), text)
    }

    // MARK: - The NOT NULL backfill in batches

    func testTheSafeBackfillCommitsBatches() {
        let p = plan(#"{"description": "x", "alter_column": {"table": "tasks", "column": "due_date", "nullable": false, "backfill": "2026-01-01"}}"#)
        XCTAssertEqual(p.errors, [])
        XCTAssertTrue(p.upgrade.contains(.backfill("tasks", column: "due_date", value: "'2026-01-01'", batchSize: PlanBuilder.backfillBatchSize)))
        let text = sql(p)
        XCTAssertTrue(text.contains("-- lock: ROW EXCLUSIVE on tasks\nDO $backfill$ DECLARE remaining bigint; BEGIN\n"), text)
        XCTAssertTrue(text.contains("UPDATE tasks SET due_date = '2026-01-01' WHERE ctid IN (SELECT ctid FROM tasks WHERE due_date IS NULL LIMIT 10000);"), text)
        let file = python(p)
        XCTAssertTrue(file.contains("""
                if op.get_context().dialect.name == "postgresql":
                    with op.get_context().autocommit_block():
                        op.execute(
                            "DO $backfill$ DECLARE remaining bigint; BEGIN "
            """), file)
        XCTAssertTrue(file.contains("""
                else:
                    op.execute("UPDATE tasks SET due_date = '2026-01-01' WHERE due_date IS NULL")
            """), file)
        let unsafe = plan(#"{"description": "x", "safe": false, "alter_column": {"table": "tasks", "column": "due_date", "nullable": false, "backfill": "2026-01-01"}}"#)
        XCTAssertTrue(sql(unsafe).contains("UPDATE tasks SET due_date = '2026-01-01' WHERE due_date IS NULL;"), sql(unsafe))
        XCTAssertFalse(sql(unsafe).contains("DO $backfill$"))
    }

    /// The history reads the backfill it writes as a data change, not as SQL it cannot follow.
    func testTheBackfillBlockReadsAsData() {
        let block = SQLRenderer.backfillBatches("users", column: "email", value: "'x'", batchSize: 10).joined()
        let loop = "DO $$ DECLARE n integer := 0; BEGIN LOOP UPDATE users SET email = lower(email) WHERE email <> lower(email); EXIT WHEN NOT FOUND; COMMIT; END LOOP; END $$"
        for sql in [block, loop] {
            let s = SchemaFixtures.linear([SchemaFixtures.users, "op.execute(\"\(sql)\")"]).schema
            XCTAssertEqual(s.opaque, [], sql)
        }
        for sql in ["DO $$ BEGIN UPDATE users SET email = 'x'; ALTER TABLE users ADD COLUMN x INT; END $$", "DO $$ BEGIN PERFORM f(); END $$",
                    "DO LANGUAGE plpython3u $$ plpy.execute('UPDATE users SET email = 1') $$"] {
            let s = SchemaFixtures.linear([SchemaFixtures.users, "op.execute(\"\(sql)\")"]).schema
            XCTAssertEqual(s.opaque.map(\.what), ["op.execute: a DO block"], sql)
        }
    }

    func testAValueHoldingTheDollarQuoteIsBackfilledInOneUpdate() {
        let q = plan(#"{"description": "x", "alter_column": {"table": "tasks", "column": "due_date", "nullable": false, "backfill": {"sql": "CAST('$backfill$' AS date)"}}}"#)
        XCTAssertFalse(q.upgrade.contains { if case .backfill = $0 { return true } else { return false } }, "\(q.upgrade)")
    }
}
