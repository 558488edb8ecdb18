import Foundation
import XCTest

@testable import VejaMigrateCore

/// Control flow in `upgrade()`: dialect checks decided for PostgreSQL, existence guards decided at
/// replay, loops unrolled, strings formatted, helpers followed; what stays unknowable is opaque with
/// its tables marked. Each test is a small history built with `SchemaFixtures`.
final class ControlFlowTests: XCTestCase {
    private func columns(_ schema: HistorySchema, _ table: String) -> [String] {
        schema.tables[table]?.columns.map(\.name) ?? []
    }

    private static let teams = """
        op.create_table("teams", sa.Column("id", sa.Integer(), primary_key=True))
        """

    // MARK: - Dialect checks

    func testDialectChecksTakeThePostgreSQLBranch() {
        let body = """
            bind = op.get_bind()
            if bind.dialect.name == "postgresql":
                op.add_column("users", sa.Column("pg_only", sa.Text()))
            else:
                op.add_column("users", sa.Column("elsewhere", sa.Text()))
            if bind.dialect.name != "postgresql":
                op.add_column("users", sa.Column("not_pg", sa.Text()))
            elif bind.dialect.name in ("postgresql", "mysql"):
                op.add_column("users", sa.Column("pg_or_mysql", sa.Text()))
            is_pg = bind.dialect.name == "postgresql"
            if is_pg and True:
                op.add_column("users", sa.Column("via_name", sa.Text()))
            dialect = op.get_context().dialect.name
            if dialect == "sqlite":
                op.drop_table("users")
            if context.get_context().dialect.name == "postgresql":
                op.add_column("users", sa.Column("via_context", sa.Text()))
            if str(bind.engine.url).startswith("postgresql"):
                op.add_column("users", sa.Column("via_url", sa.Text()))
            if "sqlite" in str(bind.url):
                op.drop_table("users")
            url = context.config.get_main_option("sqlalchemy.url")
            if url.startswith("sqlite"):
                op.drop_table("users")
            elif not is_pg:
                op.drop_table("users")
            """
        let schema = SchemaFixtures.linear([SchemaFixtures.users, body]).schema
        XCTAssertEqual(schema.opaque, [])
        XCTAssertEqual(columns(schema, "users"), ["id", "email", "pg_only", "pg_or_mysql", "via_name", "via_context", "via_url"])
    }

    func testEarlyReturnEndsThePath() {
        let other = """
            if op.get_bind().dialect.name != "postgresql":
                return
            op.add_column("users", sa.Column("after_other", sa.Text()))
            """
        let pg = """
            is_pg = op.get_bind().dialect.name == "postgresql"
            if is_pg:
                op.add_column("users", sa.Column("before_return", sa.Text()))
                return
            op.add_column("users", sa.Column("never", sa.Text()))
            """
        let schema = SchemaFixtures.linear([SchemaFixtures.users, other, pg]).schema
        XCTAssertEqual(schema.opaque, [])
        XCTAssertEqual(columns(schema, "users"), ["id", "email", "after_other", "before_return"])
    }

    /// SQL run through the connection and kept in a name is still SQL that runs.
    func testSQLWhoseResultIsAssignedIsRead() {
        let body = """
            conn = op.get_bind()
            result = conn.execute(sa.text("ALTER TABLE users ADD COLUMN note text"))
            rows = op.get_bind().execute(sa.text("SELECT 1")).fetchall()
            """
        let schema = SchemaFixtures.linear([SchemaFixtures.users, body]).schema
        XCTAssertEqual(schema.opaque, [])
        XCTAssertEqual(columns(schema, "users"), ["id", "email", "note"])
    }

    // MARK: - Existence guards

    func testExistenceGuardsAreDecidedAtReplay() {
        let body = """
            bind = op.get_bind()
            insp = sa.inspect(bind)
            if not insp.has_table("teams"):
                op.create_table("teams", sa.Column("from_guard", sa.Integer()))
            if "users" in insp.get_table_names():
                op.add_column("users", sa.Column("team_id", sa.Integer()))
            cols = [c["name"] for c in insp.get_columns("users")]
            if "email" not in cols:
                op.add_column("users", sa.Column("email", sa.Text()))
            if "nick" not in cols:
                op.add_column("users", sa.Column("nick", sa.Text()))
            if any(c["name"] == "ghost" for c in insp.get_columns("users")):
                op.add_column("users", sa.Column("haunted", sa.Text()))
            indexes = {i["name"] for i in insp.get_indexes("users")}
            if "idx_users_email" not in indexes and insp.has_table("users"):
                op.create_index("idx_users_email", "users", ["email"])
            if "uniq_users_email" in [u["name"] for u in insp.get_unique_constraints("users")]:
                op.drop_constraint("uniq_users_email", "users", type_="unique")
            """
        // The same migration after a history with and without `teams`: the guard decides at replay.
        let without = SchemaFixtures.linear([SchemaFixtures.users, body]).schema
        let with = SchemaFixtures.linear([SchemaFixtures.users, ControlFlowTests.teams, body]).schema
        for schema in [without, with] {
            XCTAssertEqual(schema.opaque, [])
            XCTAssertEqual(schema.notes, [])
            XCTAssertEqual(columns(schema, "users"), ["id", "email", "team_id", "nick"])
            XCTAssertEqual(schema.tables["users"]?.indexes.map(\.name), ["idx_users_email"])
            XCTAssertEqual(schema.tables["users"]?.uniques, [])
        }
        XCTAssertEqual(columns(without, "teams"), ["from_guard"])
        XCTAssertEqual(columns(with, "teams"), ["id"])
    }

    func testInspectorSpellingsAndCombinedGuards() {
        let body = """
            from sqlalchemy import inspect
            from sqlalchemy.engine.reflection import Inspector
            conn = op.get_bind()
            a = inspect(conn)
            b = Inspector.from_engine(conn)
            if a.has_table("users") and not b.has_table("teams"):
                op.add_column("users", sa.Column("one", sa.Text()))
            if not a.has_table("users") or b.has_table("teams"):
                op.add_column("users", sa.Column("two", sa.Text()))
            fks = [fk["name"] for fk in a.get_foreign_keys("users")]
            checks = [ck["name"] for ck in a.get_check_constraints("users")]
            if "fk_x" not in fks and "chk_x" not in checks:
                op.create_check_constraint("chk_x", "users", "email <> ''")
            elif True:
                op.add_column("users", sa.Column("three", sa.Text()))
            """
        let schema = SchemaFixtures.linear([SchemaFixtures.users, body]).schema
        XCTAssertEqual(schema.opaque, [])
        XCTAssertEqual(columns(schema, "users"), ["id", "email", "one"])
        XCTAssertEqual(schema.tables["users"]?.checks.map(\.name), ["chk_x"])
    }

    // MARK: - Loops

    func testLoopsOverKnownItemsAreUnrolled() {
        let prelude = """
            TABLES = ["users", "teams"]
            """
        let body = """
            for table in TABLES:
                op.add_column(table, sa.Column("created_by", sa.Text()))
            for name, type_ in [("a", sa.Text()), ("b", sa.Integer())]:
                op.add_column("users", sa.Column(name, type_))
            for i, t in enumerate(("users",)):
                op.add_column(t, sa.Column(f"n{i}", sa.Text()))
            for t, c in zip(TABLES, ["p", "q"]):
                op.add_column(t, sa.Column(c, sa.Text()))
            for table in {"teams"}:
                op.execute(f"ALTER TABLE {table} ADD COLUMN note text")
            local = ("users",)
            for table in local:
                if table == "teams":
                    continue
                op.create_index(f"idx_{table}_created_by", table, ["created_by"])
                break
            else:
                op.drop_table("users")
            """
        let files = [
            SchemaFixtures.migration(1, down: nil, upgrade: SchemaFixtures.users + "\n" + ControlFlowTests.teams),
            SchemaFixtures.migration(2, down: 1, upgrade: body, prelude: prelude),
        ]
        let schema = SchemaReader.history(files: files).schema
        XCTAssertEqual(schema.opaque, [])
        XCTAssertEqual(columns(schema, "users"), ["id", "email", "created_by", "a", "b", "n0", "p"])
        XCTAssertEqual(schema.tables["users"]?.column("b")?.type, "sa.Integer()")
        XCTAssertEqual(columns(schema, "teams"), ["id", "created_by", "q", "note"])
        XCTAssertEqual(schema.tables["users"]?.indexes.map(\.name), ["idx_users_created_by"])
    }

    /// Found by the integration histories (loops_and_strings, guards_and_dialects).
    func testDictsTupleConstantsSlicesAndIndexOptions() {
        let prelude = """
            OLD, NEW = "users", "accounts"
            COLUMNS = {"accounts": "email", "teams": "id"}
            SET_NOT_NULL = "ALTER TABLE %(table)s ALTER COLUMN %(column)s SET NOT NULL"
            """
        let body = """
            op.rename_table(OLD, NEW)
            for table, column in COLUMNS.items():
                op.execute(SET_NOT_NULL % {"table": table, "column": column})
            for table in COLUMNS:
                op.add_column(table, sa.Column(f"{table[:-1]}_ref", sa.Text()))
            op.create_index("ix_accounts_ref", "accounts", ["account_ref"], postgresql_using="gin", postgresql_where=sa.text("account_ref IS NOT NULL"))
            """
        let files = [
            SchemaFixtures.migration(1, down: nil, upgrade: SchemaFixtures.users + "\n" + "op.create_table(\"teams\", sa.Column(\"id\", sa.Integer(), nullable=True))"),
            SchemaFixtures.migration(2, down: 1, upgrade: body, prelude: prelude),
        ]
        let schema = SchemaReader.history(files: files).schema
        XCTAssertEqual(schema.opaque, [])
        XCTAssertEqual(schema.tableNames, ["accounts", "teams"])
        XCTAssertEqual(columns(schema, "accounts"), ["id", "email", "account_ref"])
        XCTAssertEqual(columns(schema, "teams"), ["id", "team_ref"])
        XCTAssertEqual(schema.tables["teams"]?.column("id")?.nullable, false)
        let index = schema.tables["accounts"]?.indexes.first
        XCTAssertEqual(index?.method, "gin")
        XCTAssertEqual(index?.predicate, "account_ref IS NOT NULL")
    }

    func testUnknowableLoopsMarkTheirTables() {
        let body = """
            conn = op.get_bind()
            for row in conn.execute(sa.text("SELECT name FROM tenants")):
                op.add_column("users", sa.Column(row.name, sa.Text()))
            for row in conn.execute(sa.text("SELECT id FROM users")):
                conn.execute(sa.text("UPDATE users SET email = lower(email) WHERE id = :id"), {"id": row.id})
            while more():
                op.drop_column("teams", "id")
            """
        let history = SchemaFixtures.linear([SchemaFixtures.users + "\n" + ControlFlowTests.teams, body])
        let schema = history.schema
        let file = history.graph.files[1].fileName
        // The data loop is nothing; the other two are opaque and mark their tables.
        XCTAssertEqual(schema.opaque.map(\.location), ["\(file):23", "\(file):27"])
        XCTAssertEqual(schema.opaque.map(\.tables), [["users"], ["teams"]])
        XCTAssertEqual(columns(schema, "users"), ["id", "email"])
        XCTAssertEqual(columns(schema, "teams"), ["id"])
        XCTAssertTrue(schema.mayHaveUnknownColumns("users"))
        XCTAssertTrue(schema.mayHaveUnknownColumns("teams"))
    }

    func testTryBodiesAreOpaqueWithTheirTablesMarked() {
        let body = """
            try:
                op.create_index("idx_users_email", "users", ["email"])
            except Exception:
                pass
            """
        let schema = SchemaFixtures.linear([SchemaFixtures.users, body]).schema
        XCTAssertEqual(schema.opaque.map(\.tables), [["users"]])
        XCTAssertEqual(schema.tables["users"]?.indexes, [])
    }

    // MARK: - Strings

    func testStringsAreFormatted() {
        let body = """
            prefix = "shop"
            op.create_table(f"{prefix}_items", sa.Column("id", sa.Integer()))
            op.create_table("%s_orders" % prefix, sa.Column("id", sa.Integer()))
            op.create_table("%s_%s" % (prefix, "carts"), sa.Column("id", sa.Integer()))
            op.create_table("{}_lines".format(prefix), sa.Column("id", sa.Integer()))
            op.create_table("{p}_{0}".format("notes", p=prefix), sa.Column("id", sa.Integer()))
            op.create_table(prefix + "_x" "_y", sa.Column("id", sa.Integer()))
            op.execute("ALTER TABLE %s ADD COLUMN a int" % ("shop_items",))
            op.execute(f"ALTER TABLE {prefix}_orders ADD COLUMN {'b'} int, ADD COLUMN {{c}} int".replace("{c}", "c"))
            """
        let schema = SchemaFixtures.linear([body]).schema
        XCTAssertEqual(schema.opaque, [])
        XCTAssertEqual(schema.tableNames, ["shop_carts", "shop_items", "shop_lines", "shop_notes", "shop_orders", "shop_x_y"])
        XCTAssertEqual(columns(schema, "shop_items"), ["id", "a"])
        XCTAssertEqual(columns(schema, "shop_orders"), ["id", "b", "c"])
    }

    // MARK: - Helpers

    func testHelpersAreFollowed() {
        let prelude = """
            def _has_column(table, column):
                insp = sa.inspect(op.get_bind())
                return column in [c["name"] for c in insp.get_columns(table)]


            def _add_timestamps(table, nullable=True):
                op.add_column(table, sa.Column("created_at", sa.DateTime(), nullable=nullable))
                op.add_column(table, sa.Column("updated_at", sa.DateTime(), nullable=nullable))


            def _column(name):
                return sa.Column(name, sa.Text())
            """
        let body = """
            _add_timestamps("users")
            _add_timestamps(table="teams", nullable=False)
            if not _has_column("users", "email"):
                op.add_column("users", _column("email"))
            if not _has_column("users", "avatar"):
                op.add_column("users", _column("avatar"))

            def index(t):
                op.create_index(f"idx_{t}_created_at", t, ["created_at"])

            for t in ["users", "teams"]:
                index(t)
            """
        let files = [
            SchemaFixtures.migration(1, down: nil, upgrade: SchemaFixtures.users + "\n" + ControlFlowTests.teams),
            SchemaFixtures.migration(2, down: 1, upgrade: body, prelude: prelude),
        ]
        let schema = SchemaReader.history(files: files).schema
        XCTAssertEqual(schema.opaque, [])
        XCTAssertEqual(schema.notes, [])
        XCTAssertEqual(columns(schema, "users"), ["id", "email", "created_at", "updated_at", "avatar"])
        XCTAssertEqual(schema.tables["users"]?.column("created_at")?.nullable, true)
        XCTAssertEqual(schema.tables["teams"]?.column("created_at")?.nullable, false)
        XCTAssertEqual(schema.tables["teams"]?.indexes.map(\.name), ["idx_teams_created_at"])
        XCTAssertEqual(schema.tables["users"]?.indexes.map(\.name), ["idx_users_created_at"])
    }

    // MARK: - Hostile input

    func testRecursionHugeLoopsAndDeepNestingAreBounded() {
        let prelude = """
            def again(t):
                op.add_column(t, sa.Column("x", sa.Text()))
                again(t)


            def ping(t):
                pong(t)


            def pong(t):
                ping(t)
            """
        let items = (0..<1500).map { "\"t\($0)\"" }.joined(separator: ", ")
        var nested = ""
        for depth in 0..<200 { nested += String(repeating: " ", count: depth * 4) + "if True:\n" }
        nested += String(repeating: " ", count: 200 * 4) + "op.drop_table(\"users\")\n"
        let body = """
            again("users")
            ping("teams")
            for t in [\(items)]:
                op.add_column("teams", sa.Column(t, sa.Text()))
            for a in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]:
                for b in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]:
                    for c in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]:
                        for d in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]:
                            for e in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]:
                                for f in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]:
                                    op.drop_column("users", "email")
            \(nested)
            """
        let start = Date()
        let files = [
            SchemaFixtures.migration(1, down: nil, upgrade: SchemaFixtures.users + "\n" + ControlFlowTests.teams),
            SchemaFixtures.migration(2, down: 1, upgrade: body, prelude: prelude),
        ]
        let schema = SchemaReader.history(files: files).schema
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        // Whatever was not followed is opaque, and both tables are marked.
        XCTAssertFalse(schema.opaque.isEmpty)
        XCTAssertTrue(schema.mayHaveUnknownColumns("users"))
        XCTAssertTrue(schema.mayHaveUnknownColumns("teams"))
    }

    /// Guards whose branches return, nested in a loop, split the rest of the function each time.
    func testGuardsThatReturnInsideLoopsDoNotExplode() {
        let body = """
            insp = sa.inspect(op.get_bind())
            for a in range(40):
                if insp.has_table("x"):
                    if insp.has_table("y"):
                        return
                op.add_column("users", sa.Column(f"c{a}", sa.Text()))
            """
        let start = Date()
        let schema = SchemaFixtures.linear([SchemaFixtures.users, body]).schema
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        // Either every column is read or the table is marked.
        let users = schema.tables["users"]?.columns.count ?? 0
        XCTAssertTrue(users == 42 || schema.mayHaveUnknownColumns("users"), "\(users) columns, \(schema.opaque)")
    }

    // MARK: - downgrade()

    func testEveryExampleDowngradeGivesBackTheParentsSchema() throws {
        XCTAssertNil(try VersionsDirectory(url: SchemaFixtures.exampleVersions).readHistory().schema(afterDowngradeOf: "20250901_000001"))
        let history = try VersionsDirectory(url: SchemaFixtures.exampleVersions).readHistory(downgrades: true)
        var checked = 0
        for file in history.graph.files {
            guard case .success(let header) = file.header, let revision = header.revision else { continue }
            guard history.downgradeIsReadable(revision) else { continue }
            let parent = history.schema(at: header.downRevisions)
            let downgraded = try XCTUnwrap(history.schema(afterDowngradeOf: revision))
            XCTAssertEqual(Self.shape(downgraded), Self.shape(parent), file.fileName)
            XCTAssertEqual(downgraded.notes, [], file.fileName)
            checked += 1
        }
        XCTAssertEqual(checked, history.graph.files.count)
    }

    func testAWrongDowngradeDoesNotGiveBackTheParentsSchema() throws {
        let files = [
            SchemaFixtures.migration(1, down: nil, upgrade: SchemaFixtures.users, downgrade: "op.drop_table(\"users\")"),
            SchemaFixtures.migration(2, down: 1, upgrade: """
                op.add_column("users", sa.Column("nick", sa.Text()))
                op.add_column("users", sa.Column("age", sa.Integer()))
                """, downgrade: """
                op.drop_column("users", "nick")
                """),
        ]
        let history = SchemaReader.history(files: files)
        let second = TestSupport.rev(2)
        XCTAssertTrue(history.downgradeIsReadable(second))
        let downgraded = try XCTUnwrap(history.schema(afterDowngradeOf: second))
        XCTAssertEqual(columns(downgraded, "users"), ["id", "email", "age"])
        XCTAssertNotEqual(Self.shape(downgraded), Self.shape(history.schema(at: [TestSupport.rev(1)])))
        // The first one's downgrade gives back nothing, as its parent (the base) has nothing.
        XCTAssertEqual(history.schema(afterDowngradeOf: TestSupport.rev(1))?.tableNames, [])
        XCTAssertNil(history.schema(afterDowngradeOf: "nope"))
    }

    /// Tables without where they were created (a downgrade that re-creates a table creates it anew).
    private static func shape(_ schema: HistorySchema) -> [String: SchemaTable] {
        schema.tables.mapValues { t in
            var t = t
            t.createdIn = nil
            return t
        }
    }
}
