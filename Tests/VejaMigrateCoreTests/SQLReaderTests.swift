import Foundation
import XCTest

@testable import VejaMigrateCore

/// SQL in `op.execute` read with the PostgreSQL grammar, one statement kind at a time.
final class SQLReaderTests: XCTestCase {
    /// The schema after `users` and then `sql` run through `op.execute`.
    private func schema(_ sql: String..., file: StaticString = #filePath, line: UInt = #line) -> HistorySchema {
        let bodies = [SchemaFixtures.users] + sql.map { "op.execute(\"\"\"\($0)\"\"\")" }
        return SchemaFixtures.linear(bodies).schema
    }

    func testCreateTableWithInlineAndTableConstraints() throws {
        let s = schema("""
            CREATE TABLE orders (
                id BIGSERIAL PRIMARY KEY,
                user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE RESTRICT,
                status VARCHAR(16) NOT NULL DEFAULT 'NEW' CHECK (status IN ('NEW', 'PAID')),
                total NUMERIC(12, 2),
                code TEXT UNIQUE,
                seen_at TIMESTAMPTZ DEFAULT now(),
                n INT GENERATED ALWAYS AS IDENTITY,
                CONSTRAINT chk_orders_total CHECK (total >= 0) NOT VALID,
                UNIQUE (user_id, code)
            )
            """)
        let t = try XCTUnwrap(s.tables["orders"])
        XCTAssertEqual(t.columns.map(\.sqlType), ["bigint", "uuid", "character varying(16)", "numeric(12,2)", "text", "timestamp with time zone", "integer"])
        XCTAssertEqual(t.columns.map(\.nullable), [false, false, false, true, true, true, false])
        XCTAssertEqual(t.columns.map(\.serverDefault), [nil, nil, "'NEW'", nil, nil, "now()", nil])
        XCTAssertTrue(t.columns[0].autoincrement)
        XCTAssertEqual(t.columns[6].identity, "always")
        XCTAssertEqual(t.primaryKey, ["id"])
        XCTAssertEqual(t.primaryKeyName, "orders_pkey")
        XCTAssertEqual(t.foreignKeys, [SchemaForeignKey(name: "orders_user_id_fkey", columns: ["user_id"], referencedTable: "users", referencedColumns: ["id"], onDelete: "CASCADE", onUpdate: "RESTRICT")])
        XCTAssertEqual(t.checks.map(\.name), ["orders_status_check", "chk_orders_total"])
        XCTAssertEqual(t.checks[0].values, ["NEW", "PAID"])
        XCTAssertEqual(t.checks[0].column, "status")
        XCTAssertEqual(t.checks.map(\.validated), [true, false])
        XCTAssertEqual(t.uniques, [SchemaUnique(name: "orders_code_key", columns: ["code"]), SchemaUnique(name: "orders_user_id_code_key", columns: ["user_id", "code"])])
        XCTAssertEqual(s.opaque, [])
    }

    func testAlterTableSubcommands() throws {
        let s = schema(
            "ALTER TABLE users ADD COLUMN age INT, ADD COLUMN IF NOT EXISTS email TEXT, ADD COLUMN nick TEXT DEFAULT 'x' NOT NULL",
            "ALTER TABLE users ALTER COLUMN age SET NOT NULL, ALTER COLUMN age SET DEFAULT 18, ALTER COLUMN nick DROP DEFAULT",
            "ALTER TABLE users ALTER COLUMN age TYPE BIGINT USING age::bigint, ALTER COLUMN nick DROP NOT NULL",
            "ALTER TABLE users ADD CONSTRAINT chk_users_age CHECK (age > 0) NOT VALID",
            "ALTER TABLE users VALIDATE CONSTRAINT chk_users_age",
            "ALTER TABLE users RENAME COLUMN nick TO nickname",
            "ALTER TABLE IF EXISTS ghosts ADD COLUMN x INT",
            "ALTER TABLE users DROP COLUMN IF EXISTS nothing_here, DROP CONSTRAINT IF EXISTS nothing_either")
        let t = try XCTUnwrap(s.tables["users"])
        XCTAssertEqual(t.columns.map(\.name), ["id", "email", "age", "nickname"])
        let age = try XCTUnwrap(t.column("age"))
        XCTAssertEqual(age.sqlType, "bigint")
        XCTAssertFalse(age.nullable)
        XCTAssertEqual(age.serverDefault, "18")
        XCTAssertEqual(t.column("nickname")?.serverDefault, nil)
        XCTAssertEqual(t.column("nickname")?.nullable, true)
        // ADD COLUMN IF NOT EXISTS email: the column exists, so it keeps its type.
        XCTAssertEqual(t.column("email")?.sqlType, "character varying(255)")
        XCTAssertEqual(t.checks.first { $0.name == "chk_users_age" }?.validated, true)
        XCTAssertNil(s.tables["ghosts"])
        XCTAssertEqual(s.notes, [])
        XCTAssertEqual(s.opaque, [])
    }

    func testIndexesWithExpressionsOrderMethodAndPredicate() throws {
        let s = schema(
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email_lower ON users (lower(email)) WHERE email IS NOT NULL",
            "CREATE INDEX idx_users_id_desc ON users USING btree (id DESC, email)",
            "CREATE INDEX ON users USING gin (to_tsvector('simple', email))",
            "ALTER INDEX idx_users_id_desc RENAME TO idx_users_recent",
            "DROP INDEX IF EXISTS idx_missing")
        let t = try XCTUnwrap(s.tables["users"])
        XCTAssertEqual(t.indexes.map(\.name), ["idx_users_email_lower", "idx_users_recent", "users_to_tsvector_idx"])
        XCTAssertEqual(t.indexes[0].columns, ["lower(email)"])
        XCTAssertTrue(t.indexes[0].unique)
        XCTAssertEqual(t.indexes[0].predicate, "email IS NOT NULL")
        XCTAssertEqual(t.indexes[1].descending, [true, false])
        XCTAssertEqual(t.indexes[2].method, "gin")
        XCTAssertEqual(t.indexes[2].columns, ["to_tsvector('simple', email)"])
        XCTAssertEqual(s.notes, [])
    }

    func testUniqueConstraintFromAConcurrentIndex() throws {
        let s = schema(
            "CREATE UNIQUE INDEX CONCURRENTLY uniq_users_email_idx ON users (email)",
            "ALTER TABLE users ADD CONSTRAINT uniq_users_email2 UNIQUE USING INDEX uniq_users_email_idx")
        let t = try XCTUnwrap(s.tables["users"])
        XCTAssertEqual(t.indexes, [])
        XCTAssertEqual(t.uniques.last, SchemaUnique(name: "uniq_users_email2", columns: ["email"]))
    }

    func testRenamesAndDrops() throws {
        let s = schema(
            "CREATE TABLE a (id INT PRIMARY KEY, b_id INT)",
            "CREATE TABLE b (id INT PRIMARY KEY)",
            "ALTER TABLE a ADD CONSTRAINT fk_a_b FOREIGN KEY (b_id) REFERENCES b DEFERRABLE INITIALLY DEFERRED",
            "ALTER TABLE b RENAME TO bees",
            "ALTER TABLE a RENAME CONSTRAINT fk_a_b TO fk_a_bees",
            "DROP TABLE IF EXISTS nothing, users CASCADE")
        XCTAssertNil(s.tables["users"])
        XCTAssertNil(s.tables["b"])
        let fk = try XCTUnwrap(s.tables["a"]?.foreignKeys.first)
        XCTAssertEqual(fk.name, "fk_a_bees")
        XCTAssertEqual(fk.referencedTable, "bees")
        XCTAssertEqual(fk.referencedColumns, ["id"], "REFERENCES without columns is the primary key")
        XCTAssertTrue(fk.deferrable)
        XCTAssertTrue(fk.initiallyDeferred)
    }

    func testEnumTypes() {
        let s = schema(
            "CREATE TYPE mood AS ENUM ('sad', 'ok')",
            "ALTER TYPE mood ADD VALUE 'happy'",
            "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'ok'",
            "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok'",
            "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'",
            "CREATE TYPE gone AS ENUM ('x')",
            "DROP TYPE gone",
            "ALTER TABLE users ADD COLUMN feeling mood")
        XCTAssertEqual(s.enums, ["mood": ["blue", "meh", "ok", "happy"]])
        XCTAssertEqual(s.tables["users"]?.column("feeling")?.sqlType, "mood")
    }

    func testStatementsThatChangeNoShape() {
        let s = schema("""
            CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$
            BEGIN NEW.email := lower(NEW.email); RETURN NEW; END;
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER trg BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
            COMMENT ON TABLE users IS 'people; the -- kind';
            GRANT SELECT ON users TO PUBLIC;
            CREATE EXTENSION IF NOT EXISTS pgcrypto;
            ALTER TABLE users ENABLE ROW LEVEL SECURITY;
            CREATE POLICY p ON users USING (true);
            INSERT INTO users (email) VALUES ('a;b');
            SELECT 1;
            """)
        XCTAssertEqual(s.tables["users"]?.columns.map(\.name), ["id", "email"])
        XCTAssertEqual(s.opaque, [])
        XCTAssertEqual(s.rawSQL, [:])
    }

    func testWhatIsNotFollowedIsOpaqueWithItsTables() {
        let s = schema(
            "DO $$ BEGIN ALTER TABLE users ADD COLUMN x INT; END $$",
            "CREATE TABLE users_copy AS SELECT * FROM users")
        XCTAssertEqual(s.opaque.map(\.what), ["op.execute: a DO block", "op.execute: CREATE TABLE AS"])
        XCTAssertTrue(s.isTouchedByRawSQL("users"))
        XCTAssertTrue(s.isTouchedByRawSQL("users_copy"))
    }

    /// Hostile SQL is opaque with the parser's message, never a crash.
    func testHostileSQLIsOpaque() {
        let hostile = [
            "CREATE TABLE t (a TEXT DEFAULT 'unterminated",
            "SELECT $$ never closed",
            "nonsense words that are not sql at all",
            "CREATE TABLE " + String(repeating: "(", count: 5000),
            "SELECT " + String(repeating: "(", count: 3000) + "1" + String(repeating: ")", count: 3000),
            "ALTER TABLE users ADD COLUMN z INT DEFAULT " + String(repeating: "1 + ", count: 20000) + "1",
        ]
        for sql in hostile {
            let changes = SQLStatements.changes(sql, placeholders: .sqlalchemyText)
            for change in changes {
                if case .opaque = change { continue }
                // A statement that does parse (the long sum) may be read; it must not crash.
                if case .addColumns = change { continue }
                XCTFail("unexpected \(change) for \(sql.prefix(40))")
            }
        }
        // A 1 MB statement of real SQL is read.
        let wide = "CREATE TABLE wide (" + (1...20000).map { "c\($0) TEXT DEFAULT 'value number \($0)'" }.joined(separator: ", ") + ")"
        XCTAssertGreaterThan(wide.utf8.count, 600_000)
        let changes = SQLStatements.changes(wide, placeholders: .sqlalchemyText)
        guard case .createTable(let t)? = changes.first else { return XCTFail("\(changes.prefix(1))") }
        XCTAssertEqual(t.columns.count, 20000)
        let error = SQLStatements.changes("SELECT 'unterminated", placeholders: .sqlalchemyText)
        guard case .opaque(_, _, let message)? = error.first else { return XCTFail() }
        XCTAssertEqual(message, "unterminated quoted string at or near \"'unterminated\"")
    }

    func testDeparsedExpressionsAreCanonical() throws {
        func text(_ sql: String) throws -> String {
            let tree = try PostgresGrammar.parse("SELECT " + sql)
            var d = SQLDeparser()
            let select = PostgresGrammar.statements(tree)[0].fields
            guard case .array(let targets)? = select["targetList"], let value = targets[0].objectValue?["ResTarget"]?.objectValue?["val"] else {
                XCTFail("no target for \(sql)"); return ""
            }
            let out = d.expression(value)
            XCTAssertTrue(d.isComplete, sql)
            return out
        }
        XCTAssertEqual(try text("status   in ('A','B')"), "status IN ('A', 'B')")
        XCTAssertEqual(try text("(a + b) * 2"), "(a + b) * 2")
        XCTAssertEqual(try text("x is not null and not y or z"), "((x IS NOT NULL) AND (NOT y)) OR z")
        XCTAssertEqual(try text("'a'::character varying(3)"), "'a'::character varying(3)")
        XCTAssertEqual(try text("now() + interval '1 day'"), "now() + '1 day'::interval")
        XCTAssertEqual(try text("current_date"), "CURRENT_DATE")
        XCTAssertEqual(try text("O'Brien = 'it''s'".replacingOccurrences(of: "O'Brien", with: "name")), "name = 'it''s'")
        XCTAssertEqual(try text("\"Mixed\" = 1"), "\"Mixed\" = 1")
    }

    func testParseTreeJSONReadsEscapesAndRefusesDeepNesting() throws {
        func parse(_ s: String) throws -> JSONValue {
            try Array(s.utf8).withUnsafeBufferPointer { buffer throws(ParseTreeJSON.Failure) in try ParseTreeJSON.parse(buffer) }
        }
        XCTAssertEqual(try parse(#"{"a": [1, -2, 3.5, true, false, null, "x\"y\\z\n\u00e9\ud83d\ude00"]}"#),
                       .object(["a": .array([.int(1), .int(-2), .decimal(Decimal(string: "3.5")!), .bool(true), .bool(false), .null, .string("x\"y\\z\né😀")])]))
        XCTAssertThrowsError(try parse(String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)))
        XCTAssertThrowsError(try parse("{\"a\": }"))
        XCTAssertThrowsError(try parse("[1, 2"))
        XCTAssertThrowsError(try parse("\"\\q\""))
    }

    func testPrettyJSONText() {
        let value = JSONValue.object(["b": .array([]), "a": .object(["x/y": .string("q\"\u{1}")]), "c": .array([.int(1), .null])])
        XCTAssertEqual(value.prettyText, """
            {
              "a": {
                "x/y": "q\\"\\u0001"
              },
              "b": [],
              "c": [
                1,
                null
              ]
            }

            """)
    }

    /// The same facts from Alembic operations: identity, deferrable and NOT VALID keys, enum types.
    func testAlembicOperationsCarryTheSameFacts() throws {
        let s = SchemaFixtures.linear([
            SchemaFixtures.users,
            """
            op.create_table(
                "ledger",
                sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
                sa.Column("n", sa.Integer(), sa.Identity(), nullable=False),
                sa.Column("side", sa.Enum("debit", "credit", name="ledger_side"), nullable=False),
                sa.Column("kind", postgresql.ENUM("a", "b", name="ledger_kind", create_type=False)),
                sa.Column("user_id", postgresql.UUID(as_uuid=True)),
                sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_ledger_user", deferrable=True, initially="DEFERRED"),
            )
            op.create_foreign_key("fk_ledger_user2", "ledger", "users", ["user_id"], ["id"], postgresql_not_valid=True)
            op.create_check_constraint("ck_ledger_n", "ledger", "n > 0", postgresql_not_valid=True)
            """,
        ]).schema
        let t = try XCTUnwrap(s.tables["ledger"])
        XCTAssertEqual(t.columns.map(\.identity), ["always", "by default", nil, nil, nil])
        XCTAssertEqual(t.columns.map(\.autoincrement), [false, false, false, false, false])
        XCTAssertEqual(t.columns.map(\.sqlType), ["bigint", "integer", "ledger_side", "ledger_kind", "uuid"])
        XCTAssertEqual(s.enums, ["ledger_side": ["debit", "credit"]])
        XCTAssertEqual(t.foreignKeys.map(\.deferrable), [true, false])
        XCTAssertEqual(t.foreignKeys.map(\.initiallyDeferred), [true, false])
        XCTAssertEqual(t.foreignKeys.map(\.validated), [true, false])
        XCTAssertEqual(t.checks.map(\.validated), [false])
    }

    /// Offline checks (`alembic upgrade --sql`) are decided as a run against a database: not offline.
    func testOfflineChecksAreDecidedAsOnline() {
        let s = SchemaFixtures.linear([
            SchemaFixtures.users,
            """
            from alembic import context
            if context.is_offline_mode():
                op.add_column("users", sa.Column("offline_only", sa.Text()))
            else:
                op.add_column("users", sa.Column("online_only", sa.Text()))
            if not op.get_context().as_sql:
                op.add_column("users", sa.Column("online_too", sa.Text()))
            """,
        ]).schema
        XCTAssertEqual(s.tables["users"]?.columns.map(\.name), ["id", "email", "online_only", "online_too"])
        XCTAssertEqual(s.opaque, [])
    }

    /// The fast path for the seed's `col IN ('A','B')` agrees with the grammar, and leaves the rest to it.
    func testSimpleValueListsAgreeWithTheGrammar() {
        let conditions = [
            "status IN ('DRAFT','SENT')", "status in ( 'A' , 'B''s' )", "  kind IN ('x')  ", "status IN ('A',)",
            "status IN ('A') OR x", "1status IN ('A')", "status IN (1, 2)", "status = ANY (ARRAY['A'])",
            "status IN ('a\\b')", "select IN ('A')", "status IN ()", "Status IN ('A')", "status IN('A','B')",
        ]
        for c in conditions {
            let fast = CheckCondition.simpleInList(c)
            let tree = (try? PostgresGrammar.parse("SELECT " + c)).flatMap { PostgresGrammar.statements($0).first }
            let value = tree.flatMap { t -> JSONValue? in
                guard case .array(let targets)? = t.fields["targetList"] else { return nil }
                return targets.first?.objectValue?["ResTarget"]?.objectValue?["val"]
            }
            let slow = value.flatMap { CheckCondition.allowedValues(expression: $0) }
            if let fast {
                XCTAssertEqual(fast.column, slow?.column, c)
                XCTAssertEqual(fast.values, slow?.values, c)
            }
            XCTAssertEqual(CheckCondition.allowedValues(c)?.values, slow?.values, c)
        }
        XCTAssertEqual(CheckCondition.simpleInList("status IN ('DRAFT','SENT')")?.values, ["DRAFT", "SENT"])
    }

    /// Found in review: CASCADE, LIKE/INHERITS, expression index names, bound parameters in DDL.
    func testCascadesCopiesIndexNamesAndBoundParameters() throws {
        let s = schema(
            "CREATE TYPE mood AS ENUM ('a')",
            "ALTER TABLE users ADD COLUMN m mood",
            "DROP TYPE mood CASCADE",
            "CREATE TABLE teams (id uuid PRIMARY KEY, owner uuid REFERENCES users (id))",
            "DROP TABLE users CASCADE",
            "CREATE TABLE teams_copy (LIKE teams INCLUDING ALL)",
            "CREATE INDEX ON teams (lower(owner::text))")
        XCTAssertNil(s.enums["mood"])
        XCTAssertNil(s.tables["users"])
        XCTAssertEqual(s.tables["teams"]?.foreignKeys, [], "the CASCADE drops the key that referenced users")
        XCTAssertNil(s.tables["teams_copy"], "LIKE is not followed: the table is marked, not made empty")
        XCTAssertTrue(s.isTouchedByRawSQL("teams_copy"))
        XCTAssertEqual(s.tables["teams"]?.indexes.map(\.name), ["teams_lower_idx"])
        let typed = schema("ALTER TABLE users ADD COLUMN m2 mood", "CREATE TYPE feel AS ENUM ('x')", "ALTER TABLE users ADD COLUMN f feel", "DROP TYPE feel CASCADE")
        XCTAssertEqual(typed.tables["users"]?.columns.map(\.name), ["id", "email", "m2"], "only feel's column goes")
        let bound = SchemaFixtures.linear([
            SchemaFixtures.users,
            "op.get_bind().execute(sa.text(\"ALTER TABLE users ADD COLUMN c1 text DEFAULT :x\"), {\"x\": 1})",
        ]).schema
        XCTAssertNil(bound.tables["users"]?.column("c1"))
        XCTAssertTrue(bound.mayHaveUnknownColumns("users"))
    }

    func testConditionsCannotEndEarly() {
        XCTAssertNotNil(CheckExpression.problem("budget >= 0) --"))
        XCTAssertNotNil(CheckExpression.problem("budget >= 0) NO INHERIT --"))
        XCTAssertNotNil(CheckExpression.problem("status IS NULL) --"))
        XCTAssertNil(CheckExpression.problem("budget >= 0"))
        XCTAssertNil(CheckExpression.problem("status IN ('A', 'B') AND x IS NOT NULL"))
        XCTAssertFalse(PostgresLiteral.isUUID(" a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "PostgreSQL does not skip spaces in a uuid")
        XCTAssertTrue(PostgresLiteral.isUUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
    }
}
