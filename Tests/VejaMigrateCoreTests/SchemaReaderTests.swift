import Foundation
import XCTest

@testable import VejaMigrateCore

/// Migration files built in memory for the schema reader.
enum SchemaFixtures {
    /// A migration in the seed's layout with the given bodies (indented four spaces).
    static func migration(_ n: Int, down: Int?, upgrade: String, downgrade: String = "pass", prelude: String = "") -> (name: String, text: String) {
        let rev = TestSupport.rev(n)
        let downRev = down.map { "\"\(TestSupport.rev($0))\"" } ?? "None"
        let text = """
            \"\"\"step \(n)

            Revision ID: \(rev)
            Revises: \(down.map { TestSupport.rev($0) } ?? "None")
            Create Date: 2026-01-01
            \"\"\"

            from __future__ import annotations

            import sqlalchemy as sa
            from alembic import op
            from sqlalchemy.dialects import postgresql

            revision = "\(rev)"
            down_revision = \(downRev)
            branch_labels = None
            depends_on = None
            \(prelude)

            def upgrade() -> None:
            \(indent(upgrade))


            def downgrade() -> None:
            \(indent(downgrade))

            """
        return ("\(rev)_step_\(n).py", text)
    }

    static func indent(_ body: String) -> String {
        body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
    }

    /// A linear history of the given upgrade bodies.
    static func linear(_ bodies: [String]) -> MigrationHistory {
        SchemaReader.history(files: bodies.enumerated().map { i, body in migration(i + 1, down: i == 0 ? nil : i, upgrade: body) })
    }

    static let users = """
        op.create_table(
            "users",
            sa.Column("id", postgresql.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"), nullable=False),
            sa.Column("email", sa.String(length=255), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("email", name="uniq_users_email"),
        )
        """

    static let exampleVersions = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/vejapro/backend/app/migrations/versions")
}

final class SchemaReaderTests: XCTestCase {
    private func exampleSchema() throws -> HistorySchema {
        try VersionsDirectory(url: SchemaFixtures.exampleVersions).readHistory().schema
    }

    // MARK: - The example history

    func testExampleHistoryTables() throws {
        let schema = try exampleSchema()
        XCTAssertEqual(schema.tableNames, [
            "api_keys", "attachments", "audit_log", "comments", "feature_flags", "invitations", "labels", "notifications",
            "project_members", "projects", "task_labels", "tasks", "users", "webhooks",
        ])
        XCTAssertEqual(schema.notes, [])
        for (name, table) in schema.tables {
            XCTAssertFalse(table.partial, name)
            XCTAssertNotNil(table.createdIn, name)
        }
    }

    func testExampleProjectsIsTheFinalState() throws {
        let schema = try exampleSchema()
        let projects = try XCTUnwrap(schema.tables["projects"])
        XCTAssertEqual(projects.createdIn, "20250903_000002_create_projects_table.py")
        XCTAssertEqual(projects.columns.map(\.name), ["id", "owner_id", "name", "description", "status", "created_at", "updated_at", "budget", "currency"])
        XCTAssertEqual(projects.column("id"), SchemaColumn(name: "id", type: "postgresql.UUID(as_uuid=True)", nullable: false, serverDefault: "gen_random_uuid()"))
        // 000007, in batch mode.
        XCTAssertEqual(projects.column("budget"), SchemaColumn(name: "budget", type: "sa.Numeric(12, 2)", nullable: true))
        XCTAssertEqual(projects.column("currency"), SchemaColumn(name: "currency", type: "sa.String(length=3)", nullable: false, serverDefault: "'EUR'"))
        XCTAssertEqual(projects.column("status")?.serverDefault, "'DRAFT'")
        XCTAssertEqual(projects.column("description")?.nullable, true)
        XCTAssertEqual(projects.primaryKey, ["id"])
        // 000012 replaced the CHECK constraint (drop + create in batch mode).
        XCTAssertEqual(projects.checks, [SchemaCheck(name: "chk_projects_status", condition: "status IN ('DRAFT','ACTIVE','ON_HOLD','COMPLETED','ARCHIVED')")])
        XCTAssertEqual(projects.indexes.map(\.name), ["idx_projects_owner_id", "idx_projects_status"])
        XCTAssertEqual(projects.foreignKeys, [SchemaForeignKey(name: "fk_projects_owner_id", columns: ["owner_id"], referencedTable: "users", referencedColumns: ["id"], onDelete: "RESTRICT", onUpdate: nil)])
        XCTAssertFalse(schema.isTouchedByRawSQL("projects"))
    }

    func testExampleAddedColumnsAndIndexes() throws {
        let schema = try exampleSchema()
        let users = try XCTUnwrap(schema.tables["users"])
        // 000011
        XCTAssertEqual(users.column("last_login_at"), SchemaColumn(name: "last_login_at", type: "sa.DateTime(timezone=True)", nullable: true))
        XCTAssertEqual(users.column("timezone"), SchemaColumn(name: "timezone", type: "sa.String(length=64)", nullable: false, serverDefault: "'UTC'"))
        XCTAssertTrue(users.indexes.contains(SchemaIndex(name: "idx_users_last_login_at", columns: ["last_login_at"], unique: false)))
        XCTAssertEqual(users.uniques, [SchemaUnique(name: "uniq_users_email", columns: ["email"])])
        XCTAssertTrue(users.isUniqueKey(["email"]))
        XCTAssertFalse(users.isUniqueKey(["full_name"]))
        // 000016
        let tasks = try XCTUnwrap(schema.tables["tasks"])
        XCTAssertEqual(tasks.column("estimate_minutes"), SchemaColumn(name: "estimate_minutes", type: "sa.Integer()", nullable: true))
        XCTAssertEqual(tasks.column("position"), SchemaColumn(name: "position", type: "sa.Integer()", nullable: false, serverDefault: "0"))
        XCTAssertEqual(tasks.indexes.last, SchemaIndex(name: "idx_tasks_project_id_position", columns: ["project_id", "position"], unique: false))
        XCTAssertEqual(tasks.column("priority")?.type, "sa.SmallInteger()")
        XCTAssertEqual(schema.tables["project_members"]?.primaryKey, ["project_id", "user_id"])
        XCTAssertEqual(schema.tables["attachments"]?.column("metadata")?.serverDefault, "'{}'")
    }

    /// The example's 000014 creates a table and a partial index in op.execute SQL: both are read.
    func testExampleRawSQL() throws {
        let schema = try exampleSchema()
        let flags = try XCTUnwrap(schema.tables["feature_flags"])
        XCTAssertEqual(flags.createdIn, "20251117_000014_create_feature_flags_table.py")
        XCTAssertEqual(flags.columns.map(\.name), ["key", "enabled", "description", "updated_at"])
        XCTAssertEqual(flags.columns.map(\.sqlType), ["character varying(64)", "boolean", "text", "timestamp with time zone"])
        XCTAssertEqual(flags.columns.map(\.nullable), [false, false, true, false])
        XCTAssertEqual(flags.columns.map(\.serverDefault), [nil, "false", nil, "CURRENT_TIMESTAMP"])
        XCTAssertEqual(flags.primaryKey, ["key"])
        XCTAssertEqual(flags.primaryKeyName, "feature_flags_pkey")
        let index = try XCTUnwrap(schema.tables["tasks"]?.indexes.first { $0.name == "idx_tasks_open_due_date" })
        XCTAssertEqual(index.columns, ["project_id", "due_date"])
        XCTAssertEqual(index.predicate, "status <> 'DONE'")
        // Nothing is opaque and no table is touched by unreadable SQL; the INSERT changes rows only.
        XCTAssertEqual(schema.opaque, [])
        XCTAssertEqual(schema.rawSQL, [:])
        XCTAssertFalse(schema.mayHaveUnknownColumns("tasks"))
    }

    func testExampleReadsTheSameAsTheHeaderOnlyPath() throws {
        let dir = VersionsDirectory(url: SchemaFixtures.exampleVersions)
        let whole = try dir.readHistory()
        let headers = RevisionGraph(files: try dir.readMigrations())
        XCTAssertEqual(whole.graph.files, headers.files)
        XCTAssertEqual(whole.graph.heads, ["20260211_000017"])
    }

    // MARK: - What is not code

    func testLookAlikesInStringsAndCommentsAreIgnored() {
        let body = """
            \"\"\"op.create_table("fake_doc", sa.Column("id", sa.Integer()))\"\"\"
            # op.drop_table("users")
            note = "op.drop_table('users')"
            op.create_table(
                "real",
                sa.Column("id", sa.Integer(), nullable=False),  # op.drop_table("real")
                sa.Column("body", sa.Text(), server_default="op.drop_table('x')"),
                sa.PrimaryKeyConstraint("id"),
            )
            """
        let schema = SchemaFixtures.linear([SchemaFixtures.users, body]).schema
        XCTAssertEqual(schema.tableNames, ["real", "users"])
        XCTAssertEqual(schema.tables["real"]?.column("body")?.serverDefault, "'op.drop_table(''x'')'")
        XCTAssertEqual(schema.opaque, [])
    }

    func testDowngradeIsIgnored() {
        let file = SchemaFixtures.migration(1, down: nil, upgrade: SchemaFixtures.users, downgrade: """
            op.drop_table("users")
            op.create_table("ghost", sa.Column("id", sa.Integer()))
            op.execute("DROP TABLE users")
            """)
        let schema = SchemaReader.history(files: [file]).schema
        XCTAssertEqual(schema.tableNames, ["users"])
        XCTAssertEqual(schema.opaque, [])
        XCTAssertTrue(schema.rawSQL.isEmpty)
    }

    func testModuleLevelCodeAndOtherFunctionsAreIgnored() {
        let prelude = """
            op.create_table("module_level", sa.Column("id", sa.Integer()))


            def helper():
                op.create_table("helper_table", sa.Column("id", sa.Integer()))
            """
        let file = SchemaFixtures.migration(1, down: nil, upgrade: SchemaFixtures.users, prelude: prelude)
        let schema = SchemaReader.history(files: [file]).schema
        XCTAssertEqual(schema.tableNames, ["users"])
    }

    // MARK: - Batch mode

    func testBatchBlocks() {
        let body = """
            with op.batch_alter_table("users", schema=None) as b:
                b.add_column(sa.Column("nickname", sa.String(32), nullable=True))
                b.add_column(sa.Column("age", sa.Integer(), server_default=sa.text("0"), nullable=False))
                b.alter_column("email", new_column_name="email_address", nullable=True)
                b.alter_column("age", server_default=None, type_=sa.SmallInteger())
                b.create_index("idx_users_nickname", ["nickname"], unique=True)
                b.create_check_constraint("chk_users_age", "age >= 0")
            op.create_index("idx_users_age", "users", ["age"])
            with op.batch_alter_table("users") as other: other.drop_column("nickname")
            """
        let schema = SchemaFixtures.linear([SchemaFixtures.users, body]).schema
        XCTAssertEqual(schema.opaque, [])
        let users = schema.tables["users"]!
        XCTAssertEqual(users.columns.map(\.name), ["id", "email_address", "age"])
        XCTAssertEqual(users.column("email_address")?.nullable, true)
        XCTAssertEqual(users.column("age"), SchemaColumn(name: "age", type: "sa.SmallInteger()", nullable: false, serverDefault: nil))
        XCTAssertEqual(users.uniques, [SchemaUnique(name: "uniq_users_email", columns: ["email_address"])])
        // Dropping nickname drops its index, as PostgreSQL does.
        XCTAssertEqual(users.indexes.map(\.name), ["idx_users_age"])
        XCTAssertEqual(users.checks, [SchemaCheck(name: "chk_users_age", condition: "age >= 0")])
    }

    func testBatchConstraintsAndForeignKeys() {
        let body = """
            op.create_table("teams", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("name", sa.Text()))
            with op.batch_alter_table("users") as batch_op:
                batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
                batch_op.create_foreign_key("fk_users_team_id", "teams", ["team_id"], ["id"], ondelete="SET NULL")
                batch_op.create_unique_constraint("uniq_users_team_id_email", ["team_id", "email"])
                batch_op.drop_constraint("uniq_users_email", type_="unique")
            """
        let schema = SchemaFixtures.linear([SchemaFixtures.users, body]).schema
        let users = schema.tables["users"]!
        XCTAssertEqual(users.foreignKeys, [SchemaForeignKey(name: "fk_users_team_id", columns: ["team_id"], referencedTable: "teams", referencedColumns: ["id"], onDelete: "SET NULL", onUpdate: nil)])
        XCTAssertEqual(users.uniques.map(\.name), ["uniq_users_team_id_email"])
        XCTAssertEqual(schema.tables["teams"]?.primaryKey, ["id"])
        XCTAssertEqual(schema.tables["teams"]?.column("id")?.nullable, false)
    }

    // MARK: - Plain operations

    func testTableLevelOperations() {
        let bodies = [
            SchemaFixtures.users,
            """
            op.create_table(
                "posts",
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("author_id", sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
                sa.Column("slug", sa.String(80), unique=True),
                sa.Column("title", sa.String(200), index=True),
                sa.Column("score", sa.Integer(), sa.CheckConstraint("score >= 0")),
                sa.ForeignKeyConstraint(["id"], ["users.id"]),
                sa.Index("idx_posts_title_slug", "title", "slug", unique=True),
            )
            op.create_index(op.f("ix_posts_lower_title"), "posts", [sa.text("lower(title)")])
            """,
            """
            op.rename_table("users", "accounts")
            op.drop_index("ix_posts_title")
            op.drop_constraint("posts_id_fkey", "posts", type_="foreignkey")
            op.create_primary_key("pk_accounts", "accounts", ["id", "email"])
            op.alter_column("accounts", "id", new_column_name="account_id")
            """,
        ]
        let schema = SchemaFixtures.linear(bodies).schema
        XCTAssertEqual(schema.notes, [])
        XCTAssertEqual(schema.tableNames, ["accounts", "posts"])
        let posts = schema.tables["posts"]!
        // The type of a column given only a ForeignKey comes from the referenced column.
        XCTAssertEqual(posts.column("author_id"), SchemaColumn(name: "author_id", type: "postgresql.UUID(as_uuid=True)", nullable: false))
        XCTAssertEqual(posts.column("id")?.nullable, false)
        // Unnamed constraints get PostgreSQL's names; the rename follows the reference.
        XCTAssertEqual(posts.foreignKeys, [SchemaForeignKey(name: "posts_author_id_fkey", columns: ["author_id"], referencedTable: "accounts", referencedColumns: ["account_id"], onDelete: "CASCADE", onUpdate: nil)])
        XCTAssertEqual(posts.uniques, [SchemaUnique(name: "posts_slug_key", columns: ["slug"])])
        XCTAssertEqual(posts.checks, [SchemaCheck(name: "posts_score_check", condition: "score >= 0")])
        XCTAssertEqual(posts.indexes, [
            SchemaIndex(name: "idx_posts_title_slug", columns: ["title", "slug"], unique: true),
            SchemaIndex(name: "ix_posts_lower_title", columns: ["lower(title)"], unique: false),
        ])
        let accounts = schema.tables["accounts"]!
        XCTAssertEqual(accounts.primaryKey, ["account_id", "email"])
        XCTAssertEqual(accounts.createdIn, SchemaFixtures.migration(1, down: nil, upgrade: "").name)
    }

    func testDropTableAndColumnAndAlter() {
        let bodies = [
            SchemaFixtures.users,
            """
            op.add_column("users", sa.Column("nick", sa.String(length=20), nullable=True))
            op.create_index("idx_users_nick_email", "users", ["nick", "email"])
            op.create_check_constraint("chk_users_nick", "users", "length(nick) > 2")
            op.create_table("tmp", sa.Column("id", sa.Integer()))
            op.drop_table("tmp")
            op.alter_column("users", "email", server_default="x@y", nullable=True, existing_type=sa.String(length=255))
            op.drop_column("users", "nick")
            """,
        ]
        let schema = SchemaFixtures.linear(bodies).schema
        let users = schema.tables["users"]!
        XCTAssertEqual(schema.tableNames, ["users"])
        XCTAssertEqual(users.columns.map(\.name), ["id", "email"])
        XCTAssertEqual(users.column("email"), SchemaColumn(name: "email", type: "sa.String(length=255)", nullable: true, serverDefault: "'x@y'"))
        XCTAssertEqual(users.indexes, [])
        XCTAssertEqual(users.checks, [])
    }

    func testConstantsAndStarredColumns() {
        let prelude = """
            TABLE = "widgets"
            COLUMNS = [sa.Column("id", sa.Integer(), primary_key=True), sa.Column("label", sa.Text())]
            """
        let body = """
            name_col = sa.Column("name", sa.String(length=10), nullable=False)
            op.create_table(TABLE, *COLUMNS, name_col)
            idx = "idx_" + TABLE + "_label"
            op.create_index(idx, TABLE, ["label"])
            """
        let file = SchemaFixtures.migration(1, down: nil, upgrade: body, prelude: prelude)
        let schema = SchemaReader.history(files: [file]).schema
        XCTAssertEqual(schema.opaque, [])
        XCTAssertEqual(schema.tables["widgets"]?.columns.map(\.name), ["id", "label", "name"])
        XCTAssertEqual(schema.tables["widgets"]?.indexes.map(\.name), ["idx_widgets_label"])
    }

    func testAutoincrementFollowsSQLAlchemy() throws {
        let schema = try exampleSchema()
        XCTAssertEqual(schema.tables["audit_log"]?.column("id")?.autoincrement, true)  // BigInteger primary key: BIGSERIAL
        XCTAssertEqual(schema.tables["users"]?.column("id")?.autoincrement, false)  // uuid
        let body = """
            op.create_table("a", sa.Column("id", sa.Integer(), primary_key=True))
            op.create_table("b", sa.Column("id", sa.Integer(), autoincrement=False, primary_key=True))
            op.create_table("c", sa.Column("x", sa.Integer()), sa.Column("y", sa.Integer()), sa.PrimaryKeyConstraint("x", "y"))
            op.create_table("d", sa.Column("id", sa.Integer(), sa.ForeignKey("a.id"), primary_key=True))
            op.create_table("e", sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True))
            op.create_table("f", sa.Column("id", sa.Integer(), server_default=sa.text("7"), primary_key=True))
            """
        let tables = SchemaFixtures.linear([body]).schema.tables
        XCTAssertEqual(["a", "b", "c", "d", "e", "f"].map { tables[$0]!.columns.contains(where: \.autoincrement) }, [true, false, false, false, false, false])
        // An identity column is its own fact, as PostgreSQL keeps it (no nextval default).
        XCTAssertEqual(tables["e"]?.column("id")?.identity, "always")
    }

    func testOneLineCompoundStatements() {
        let body = """
            with op.batch_alter_table("users") as b: b.add_column(sa.Column("x", sa.Text())); b.add_column(sa.Column("y", sa.Text()))
            if data_needs_it(): op.drop_table("users"); op.execute("DELETE FROM users")
            op.create_index("i", "users", ["x"]); op.create_index("j", "users", ["y"])
            """
        let schema = SchemaFixtures.linear([SchemaFixtures.users, body]).schema
        XCTAssertEqual(schema.tables["users"]?.columns.map(\.name), ["id", "email", "x", "y"])
        XCTAssertEqual(schema.tables["users"]?.indexes.map(\.name), ["i", "j"])
        // The DELETE changes rows only.
        XCTAssertEqual(schema.opaque.map(\.what), ["op.drop_table inside `if`"])
    }

    func testSchemaAtOneHeadLeavesOtherBranchesOut() {
        let files = [
            SchemaFixtures.migration(1, down: nil, upgrade: SchemaFixtures.users),
            SchemaFixtures.migration(2, down: 1, upgrade: "op.create_table(\"a\", sa.Column(\"id\", sa.Integer()))"),
            SchemaFixtures.migration(3, down: 1, upgrade: "op.create_table(\"b\", sa.Column(\"id\", sa.Integer()))"),
        ]
        let history = SchemaReader.history(files: files)
        XCTAssertEqual(history.schema.tableNames, ["a", "b", "users"])
        XCTAssertEqual(history.schema(at: [TestSupport.rev(2)]).tableNames, ["a", "users"])
        XCTAssertEqual(history.schema(at: [TestSupport.rev(3)]).tableNames, ["b", "users"])
        XCTAssertEqual(history.schema(at: [TestSupport.rev(2), TestSupport.rev(3)]), history.schema)
    }

    // MARK: - What cannot be read

    func testOpaqueOperations() {
        let bodies = [
            SchemaFixtures.users,
            """
            bind = op.get_bind()
            bind.execute(sa.text("UPDATE users SET email = lower(email)"))
            op.execute(sa.text("ALTER TABLE users ADD COLUMN legacy_id integer"))
            for table in tables_from_settings():
                op.add_column(table, sa.Column("flag", sa.Boolean()))
            if feature_enabled():
                op.create_index("idx_users_email_lower", "users", [sa.text("lower(email)")])
            add_audit_trigger("users")
            op.execute(f"UPDATE {table} SET x = 1")
            op.execute("CREATE TABLE IF NOT EXISTS public.\\"Events\\" (id int); ALTER TABLE events RENAME TO events_old")
            """,
        ]
        let history = SchemaFixtures.linear(bodies)
        let schema = history.schema
        let file = history.graph.files[1].fileName
        // The UPDATEs (lines 22 and 29, the second whatever {table} is) change rows only; the SQL DDL
        // of lines 23 and 30 is read.
        // op.get_bind() itself is known (the connection); a loop over what a function returns and a
        // condition on one are not (control flow that can be decided is in ControlFlowTests).
        XCTAssertEqual(schema.opaque.map(\.location), [25, 27, 28].map { "\(file):\($0)" })
        XCTAssertEqual(schema.opaque[0].tables, [])  // the loop variable is not a name it knows
        XCTAssertEqual(schema.opaque[1].tables, ["users"])
        XCTAssertEqual(schema.opaque[2].what, "add_audit_trigger()")
        // Nothing was applied from inside the loop or the if; the SQL column was.
        XCTAssertEqual(schema.tables["users"]?.columns.map(\.name), ["id", "email", "legacy_id"])
        XCTAssertEqual(schema.tables["users"]?.indexes, [])
        XCTAssertEqual(schema.rawSQL["users"]?.map(\.kind), [.unreadable, .unreadable])
        XCTAssertTrue(schema.mayHaveUnknownColumns("users"))
        // A quoted name keeps its case; the rename names a table that does not exist (events).
        XCTAssertEqual(schema.tables["Events"]?.columns.map(\.sqlType), ["integer"])
        XCTAssertEqual(schema.notes, ["\(file):30: rename_table events: no such table in the history"])
    }

    /// A data migration changes no table: its statements and bind parameters are never "tables touched by raw SQL".
    func testDataMigrationsAndBindParametersAreNotTables() {
        let bodies = [
            SchemaFixtures.users,
            """
            conn = op.get_bind()
            conn.execute(sa.text("UPDATE users SET email = :number WHERE id = :id"), {"id": 1, "number": "x"})
            conn.execute(text("DELETE FROM users WHERE email = :email"), dict(email="a"))
            op.execute("INSERT INTO users (id, email) VALUES (gen_random_uuid(), 'a:b')")
            op.execute(sa.text("UPDATE users SET email = lower(email) WHERE email LIKE :pattern").bindparams(pattern="%A%"))
            conn.exec_driver_sql("SELECT count(*) FROM users WHERE email = %(email)s", {"email": "a"})
            for row in conn.execute(sa.text("SELECT id FROM users")):
                pass
            """,
        ]
        let history = SchemaFixtures.linear(bodies)
        let schema = history.schema
        let file = history.graph.files[1].fileName
        for name in ["id", "number", "email", "pattern", "users"] {
            XCTAssertNil(schema.rawSQL[name], "\(name) is not touched by raw SQL: \(schema.rawSQL)")
        }
        // Nothing is opaque: op.get_bind() is the connection, and every statement changes rows only.
        XCTAssertEqual(schema.opaque.map(\.location), [])
        _ = file
        XCTAssertEqual(schema.tables["users"]?.columns.map(\.name), ["id", "email"])
    }

    /// SQL that changes tables stays opaque with the tables it names, but never the parameters.
    func testSchemaSQLWithParametersNamesOnlyTables() {
        let history = SchemaFixtures.linear([
            SchemaFixtures.users,
            """
            op.execute(sa.text("ALTER TABLE users ADD COLUMN note text DEFAULT :d"), {"d": "x"})
            op.execute("ALTER TABLE users ADD CONSTRAINT")
            """,
        ])
        // The first takes its default from a bound parameter, unknown here; the second does not parse
        // and says why. Both mark users, and neither names the parameter.
        XCTAssertNil(history.schema.tables["users"]?.column("note"))
        XCTAssertEqual(history.schema.opaque.map(\.tables), [["users"], ["users"]])
        XCTAssertEqual(history.schema.opaque.last?.error, "syntax error at end of input")
        XCTAssertNil(history.schema.rawSQL["d"])
    }

    func testRawSQLTableNames() {
        func names(_ sql: String) -> [String] { RawSQL.tables(in: sql).map { "\($0.kind.rawValue) \($0.table)" } }
        XCTAssertEqual(names("CREATE TABLE feature_flags (key VARCHAR(64))"), ["CREATE TABLE feature_flags"])
        XCTAssertEqual(names("create unlogged table if not exists Cache (k text)"), ["CREATE TABLE cache"])
        XCTAssertEqual(names("DROP TABLE IF EXISTS a, b CASCADE"), ["DROP TABLE a", "DROP TABLE b"])
        XCTAssertEqual(names("ALTER TABLE ONLY public.t ADD COLUMN c int"), ["ALTER TABLE t"])
        XCTAssertEqual(names("INSERT INTO t (a) VALUES ('UPDATE x SET') ON CONFLICT (a) DO UPDATE SET a = 1"), ["DATA t"])
        XCTAssertEqual(names("CREATE UNIQUE INDEX CONCURRENTLY i ON ONLY t (lower(a))"), ["INDEX t"])
        XCTAssertEqual(names("ALTER TABLE a ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES c (id) ON DELETE CASCADE ON UPDATE CASCADE"), ["ALTER TABLE a"])
        XCTAssertEqual(names("-- DROP TABLE x\nSELECT 1 /* UPDATE y */"), [])
        XCTAssertEqual(names("DELETE FROM z; TRUNCATE TABLE q, r"), ["DATA z", "DATA q", "DATA r"])
        XCTAssertEqual(names("UPDATE \"Mixed\" SET a = 1"), ["DATA Mixed"])
    }

    // MARK: - Order

    func testReplayFollowsTheRevisionChainNotFileNames() {
        // File names sort 1, 2, 3, but the chain is 1 <- 3 <- 2.
        let files = [
            SchemaFixtures.migration(1, down: nil, upgrade: SchemaFixtures.users),
            SchemaFixtures.migration(2, down: 3, upgrade: "op.drop_column(\"users\", \"nick\")"),
            SchemaFixtures.migration(3, down: 1, upgrade: "op.add_column(\"users\", sa.Column(\"nick\", sa.Text()))"),
        ]
        let history = SchemaReader.history(files: files)
        XCTAssertEqual(history.graph.topologicalOrder(), [0, 2, 1])
        XCTAssertEqual(history.schema.tables["users"]?.columns.map(\.name), ["id", "email"])
        XCTAssertEqual(history.schema.notes, [])
    }

    func testMergesComeAfterAllTheirParents() {
        let files = [
            SchemaFixtures.migration(1, down: nil, upgrade: SchemaFixtures.users),
            SchemaFixtures.migration(2, down: 1, upgrade: "op.add_column(\"users\", sa.Column(\"a\", sa.Text()))"),
            SchemaFixtures.migration(3, down: 1, upgrade: "op.add_column(\"users\", sa.Column(\"b\", sa.Text()))"),
        ]
        var merge = SchemaFixtures.migration(4, down: 2, upgrade: "op.drop_column(\"users\", \"b\")")
        merge.text = merge.text.replacingOccurrences(of: "down_revision = \"\(TestSupport.rev(2))\"", with: "down_revision = (\"\(TestSupport.rev(3))\", \"\(TestSupport.rev(2))\")")
        let history = SchemaReader.history(files: [merge] + files)
        XCTAssertEqual(history.graph.heads, [TestSupport.rev(4)])
        let order = history.graph.topologicalOrder().map { history.graph.files[$0].fileName.prefix(15) }
        XCTAssertEqual(order.last.map(String.init), TestSupport.rev(4))
        XCTAssertEqual(history.schema.tables["users"]?.columns.map(\.name), ["id", "email", "a"])
    }

    func testCyclesAndUnreadableFilesDoNotStopTheReplay() {
        let files = [
            SchemaFixtures.migration(1, down: 2, upgrade: SchemaFixtures.users),
            SchemaFixtures.migration(2, down: 1, upgrade: "op.create_table(\"b\", sa.Column(\"id\", sa.Integer()))"),
            ("20260101_000003_broken.py", "revision = \"x\"\ndown_revision = None\ndef upgrade():\n    op.execute('unterminated\n"),
        ]
        let history = SchemaReader.history(files: files)
        XCTAssertEqual(history.schema.tableNames, ["b", "users"])
        XCTAssertEqual(history.schema.opaque.map(\.what), ["a string that never ends"])
    }

    // MARK: - Hostile input

    func testHostileInputNeverCrashes() {
        let nasty = [
            "op.create_table(",
            "op.create_table(\"t\", sa.Column(\"id\", sa.Integer(),",
            "op.create_table)))]]]}}}(((",
            "op.add_column(\"users\", sa.Column())",
            "op.add_column(\"users\")",
            "op.create_table(\"t\", lambda x: x, *[a for a in b], **kw)",
            "op.create_table(\"t\", sa.Column(\"id\", sa.Integer(), nullable=maybe()))",
            "op.alter_column(\"users\", \"email\", nullable=not True)",
            "x = (y := op.drop_table(\"users\"))",
            "op.drop_table(*tables)",
            "op.create_index(None, \"users\", [\"email\"])",
            "op.create_index(\"i\", \"nope\", [\"x\"])",
            "op.drop_constraint(\"nope\", \"users\")",
            "op.drop_index(\"nope\")",
            "op.rename_table(\"nope\", \"other\")",
            "with op.batch_alter_table(TABLE_UNKNOWN) as b:\n    b.add_column(sa.Column(\"x\", sa.Text()))",
            "with op.batch_alter_table(\"users\") as b, open(\"f\") as f:\n    b.drop_column(\"email\")\n    f.read()",
            "def inner():\n    op.drop_table(\"users\")\nclass K:\n    pass\nasync def g(): op.drop_table(\"users\")",
            "try:\n    op.drop_table(\"users\")\nexcept Exception:\n    pass\nfinally:\n    pass",
            "op.create_table(\"t\", " + String(repeating: "(", count: 5000) + String(repeating: ")", count: 5000) + ")",
            "op.create_table(\"t\", " + String(repeating: "[", count: 5000) + ")",
            String(repeating: "op.", count: 2000) + "x()",
            "op.execute('''" + String(repeating: "CREATE TABLE ", count: 2000) + "''')",
            "op.execute(\"ON ON ON INDEX ON ON TABLE TABLE ALTER TABLE ; ;; UPDATE\")",
            "\u{0}\u{1}\u{7f} op . create_table ( 'x' , ) ; ; ;",
            "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True)); op.drop_table('t'); op.create_table('t2')",
        ]
        for body in nasty {
            let history = SchemaFixtures.linear([SchemaFixtures.users, body])
            XCTAssertEqual(history.graph.files.count, 2, body)
        }
    }

    func testLineEndingsIndentationAndByteOrderMarkDoNotMatter() throws {
        let dir = SchemaFixtures.exampleVersions
        let names = try VersionsDirectory(url: dir).migrationFileNames()
        let plain = try names.map { ($0, try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) }
        let expected = SchemaReader.history(files: plain).schema
        let variants: [(String) -> String] = [
            { $0.replacingOccurrences(of: "\n", with: "\r\n") },
            { "\u{FEFF}" + $0 },
            { $0.replacingOccurrences(of: "\n    ", with: "\n\t").replacingOccurrences(of: "\n        ", with: "\n\t\t") },
            { $0.replacingOccurrences(of: "\n    ", with: "\n  ") },
        ]
        for (i, change) in variants.enumerated() {
            let schema = SchemaReader.history(files: plain.map { ($0.0, change($0.1)) }).schema
            XCTAssertEqual(schema.tables, expected.tables, "variant \(i)")
            XCTAssertEqual(schema.opaque.map(\.location), expected.opaque.map(\.location), "variant \(i)")
        }
    }

    func testRandomMutationsOfRealFilesNeverCrash() throws {
        let dir = VersionsDirectory(url: SchemaFixtures.exampleVersions)
        let names = try dir.migrationFileNames()
        var generator = SplitMix(seed: 20260211)
        for name in names {
            let original = try Array(Data(contentsOf: SchemaFixtures.exampleVersions.appendingPathComponent(name)))
            for _ in 0..<40 {
                var bytes = original
                for _ in 0..<(1 + Int(generator.next() % 6)) {
                    let at = Int(generator.next() % UInt64(bytes.count))
                    switch generator.next() % 4 {
                    case 0: bytes.remove(at: at)
                    case 1: bytes.insert(Array("()[]{}'\"\\:,=#\n ".utf8)[Int(generator.next() % 15)], at: at)
                    case 2: bytes[at] = UInt8(truncatingIfNeeded: generator.next() % 128)
                    default: bytes.removeSubrange(at..<min(bytes.count, at + Int(generator.next() % 200)))
                    }
                    if bytes.isEmpty { bytes = [0x20] }
                }
                _ = SchemaReader.source(fileName: name, bytes: bytes)
            }
        }
    }

    func testManyMigrationsReadInLinearTime() {
        // 3,000 migrations, each adding a column and an index: quick, and the last state is right.
        var files: [(name: String, text: String)] = [SchemaFixtures.migration(1, down: nil, upgrade: SchemaFixtures.users)]
        for n in 2...3000 {
            files.append(SchemaFixtures.migration(n, down: n - 1, upgrade: """
                with op.batch_alter_table("users") as batch_op:
                    batch_op.add_column(sa.Column("c\(n)", sa.Integer(), nullable=True))
                op.create_index("idx_users_c\(n)", "users", ["c\(n)"])
                """))
        }
        let start = Date()
        let schema = SchemaReader.history(files: files).schema
        XCTAssertEqual(schema.tables["users"]?.columns.count, 3001)
        XCTAssertEqual(schema.tables["users"]?.indexes.count, 2999)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
    }
}

/// A small deterministic random generator for the fuzz test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
