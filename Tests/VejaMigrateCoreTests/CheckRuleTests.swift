import XCTest

@testable import VejaMigrateCore

/// Every rule both ways: a small history where the finding appears at the right file and line with
/// its fix, and the same history fixed, where it does not.
final class CheckRuleTests: XCTestCase {
    /// A migration in the seed's template: `upgrade()`'s first body line is line 21.
    struct Mig {
        var revision: String
        var down: String?
        var up: [String]
        var downgrade: [String]? = ["pass"]
        var fileName: String?
        var docRevision: String?

        var name: String { fileName ?? "\(revision)_step.py" }

        var text: String {
            var lines = [
                "\"\"\"step \(revision)", "", "Revision ID: \(docRevision ?? revision)", "Revises: \(down ?? "")", "Create Date: 2026-01-01", "\"\"\"", "",
                "from __future__ import annotations", "", "import sqlalchemy as sa", "from alembic import op",
                "from sqlalchemy.dialects import postgresql", "",
                "revision = \"\(revision)\"", "down_revision = " + (down.map { "\"\($0)\"" } ?? "None"), "branch_labels = None", "depends_on = None", "", "",
                "def upgrade() -> None:",
            ]
            lines += up.map { "    " + $0 }
            if let downgrade {
                lines += ["", "", "def downgrade() -> None:"] + downgrade.map { "    " + $0 }
            }
            return lines.joined(separator: "\n") + "\n"
        }

        /// The line of upgrade()'s body line `k` (1-based), and of `def downgrade`.
        static func upLine(_ k: Int) -> Int { 20 + k }
        var downgradeLine: Int { 20 + up.count + 3 }
    }

    static let r1 = "20260101_000001", r2 = "20260101_000002", r3 = "20260101_000003"

    /// projects (id, title text, owner_id with its index, code varchar(32) NOT NULL with a default) and users.
    static let base = Mig(revision: r1, down: nil, up: [
        "op.create_table(",
        "    \"projects\",",
        "    sa.Column(\"id\", postgresql.UUID(as_uuid=True), server_default=sa.text(\"gen_random_uuid()\"), nullable=False),",
        "    sa.Column(\"title\", sa.Text(), nullable=True),",
        "    sa.Column(\"owner_id\", postgresql.UUID(as_uuid=True), nullable=True),",
        "    sa.Column(\"code\", sa.String(length=32), server_default=sa.text(\"'x'\"), nullable=False),",
        "    sa.PrimaryKeyConstraint(\"id\"),",
        ")",
        "op.create_index(\"idx_projects_owner_id\", \"projects\", [\"owner_id\"])",
        "op.create_table(\"users\", sa.Column(\"id\", postgresql.UUID(as_uuid=True), nullable=False), sa.PrimaryKeyConstraint(\"id\"))",
    ], downgrade: ["op.drop_table(\"users\")", "op.drop_index(\"idx_projects_owner_id\", table_name=\"projects\")", "op.drop_table(\"projects\")"])

    static func run(_ migs: [Mig], settings: CheckSettings = .default) -> [CheckFinding] {
        CheckRun(history: SchemaReader.history(files: migs.map { ($0.name, $0.text) }), settings: settings).findings
    }

    /// A rule's case: the second migration's body, bad and fixed.
    struct Case {
        var rule: String
        var bad: [String]
        var badDown: [String]
        /// upgrade() body line of the finding (1-based); 0: `def downgrade`; -1: `def upgrade`.
        var line: Int
        var good: [String]
        var goodDown: [String]
        var fix: String
    }

    static let ac = "with op.get_context().autocommit_block():"

    static let cases: [Case] = [
        Case(rule: "index-not-concurrent", bad: ["op.create_index(\"idx_projects_title\", \"projects\", [\"title\"])"],
             badDown: ["op.drop_index(\"idx_projects_title\", table_name=\"projects\")"], line: 1,
             good: [ac, "    op.create_index(\"idx_projects_title\", \"projects\", [\"title\"], postgresql_concurrently=True)"],
             goodDown: [ac, "    op.drop_index(\"idx_projects_title\", table_name=\"projects\", postgresql_concurrently=True)"], fix: "postgresql_concurrently=True"),
        Case(rule: "concurrently-in-transaction", bad: ["op.create_index(\"idx_projects_title\", \"projects\", [\"title\"], postgresql_concurrently=True)"],
             badDown: ["op.drop_index(\"idx_projects_title\", table_name=\"projects\")"], line: 1,
             good: [ac, "    op.create_index(\"idx_projects_title\", \"projects\", [\"title\"], postgresql_concurrently=True)"],
             goodDown: ["op.drop_index(\"idx_projects_title\", table_name=\"projects\")"], fix: "autocommit_block"),
        Case(rule: "concurrently-in-transaction", bad: ["op.execute(\"CREATE INDEX CONCURRENTLY idx_projects_title ON projects (title)\")"],
             badDown: ["op.execute(\"DROP INDEX idx_projects_title\")"], line: 1,
             good: ["op.get_context().autocommit_block()", "with op.get_context().autocommit_block():", "    op.execute(\"CREATE INDEX CONCURRENTLY idx_projects_title ON projects (title)\")"],
             goodDown: ["op.execute(\"DROP INDEX idx_projects_title\")"], fix: "autocommit_block"),
        Case(rule: "drop-index-not-concurrent", bad: ["op.drop_index(\"idx_projects_owner_id\", table_name=\"projects\")"],
             badDown: ["op.create_index(\"idx_projects_owner_id\", \"projects\", [\"owner_id\"])"], line: 1,
             good: [ac, "    op.drop_index(\"idx_projects_owner_id\", table_name=\"projects\", postgresql_concurrently=True)"],
             goodDown: [ac, "    op.create_index(\"idx_projects_owner_id\", \"projects\", [\"owner_id\"], postgresql_concurrently=True)"], fix: "postgresql_concurrently=True"),
        Case(rule: "not-null-without-default", bad: ["op.add_column(\"projects\", sa.Column(\"kind\", sa.Text(), nullable=False))"],
             badDown: ["op.drop_column(\"projects\", \"kind\")"], line: 1,
             good: ["op.add_column(\"projects\", sa.Column(\"kind\", sa.Text(), server_default=sa.text(\"'a'\"), nullable=False))"],
             goodDown: ["op.drop_column(\"projects\", \"kind\")"], fix: "server_default"),
        Case(rule: "volatile-default-on-existing-table",
             bad: ["op.add_column(\"projects\", sa.Column(\"token\", postgresql.UUID(as_uuid=True), server_default=sa.text(\"gen_random_uuid()\"), nullable=True))"],
             badDown: ["op.drop_column(\"projects\", \"token\")"], line: 1,
             good: ["op.add_column(\"projects\", sa.Column(\"token\", postgresql.UUID(as_uuid=True), nullable=True))"],
             goodDown: ["op.drop_column(\"projects\", \"token\")"], fix: "backfill"),
        Case(rule: "check-not-valid", bad: ["op.create_check_constraint(\"chk_projects_title\", \"projects\", \"length(title) > 0\")"],
             badDown: ["op.drop_constraint(\"chk_projects_title\", \"projects\", type_=\"check\")"], line: 1,
             good: ["op.create_check_constraint(\"chk_projects_title\", \"projects\", \"length(title) > 0\", postgresql_not_valid=True)"],
             goodDown: ["op.drop_constraint(\"chk_projects_title\", \"projects\", type_=\"check\")"], fix: "postgresql_not_valid=True"),
        Case(rule: "foreign-key-not-valid", bad: ["op.create_foreign_key(\"fk_projects_owner_id\", \"projects\", \"users\", [\"owner_id\"], [\"id\"])"],
             badDown: ["op.drop_constraint(\"fk_projects_owner_id\", \"projects\", type_=\"foreignkey\")"], line: 1,
             good: ["op.create_foreign_key(\"fk_projects_owner_id\", \"projects\", \"users\", [\"owner_id\"], [\"id\"], postgresql_not_valid=True)"],
             goodDown: ["op.drop_constraint(\"fk_projects_owner_id\", \"projects\", type_=\"foreignkey\")"], fix: "VALIDATE CONSTRAINT"),
        Case(rule: "fk-without-index",
             bad: ["op.create_table(\"tasks\", sa.Column(\"id\", sa.BigInteger(), nullable=False), sa.Column(\"project_id\", postgresql.UUID(as_uuid=True), nullable=True), sa.ForeignKeyConstraint([\"project_id\"], [\"projects.id\"], name=\"fk_tasks_project_id\"), sa.PrimaryKeyConstraint(\"id\"))"],
             badDown: ["op.drop_table(\"tasks\")"], line: 1,
             good: ["op.create_table(\"tasks\", sa.Column(\"id\", sa.BigInteger(), nullable=False), sa.Column(\"project_id\", postgresql.UUID(as_uuid=True), nullable=True), sa.ForeignKeyConstraint([\"project_id\"], [\"projects.id\"], name=\"fk_tasks_project_id\"), sa.PrimaryKeyConstraint(\"id\"))",
                    "op.create_index(\"idx_tasks_project_id\", \"tasks\", [\"project_id\"])"],
             goodDown: ["op.drop_index(\"idx_tasks_project_id\", table_name=\"tasks\")", "op.drop_table(\"tasks\")"], fix: "op.create_index(\"idx_tasks_project_id\", \"tasks\", [\"project_id\"])"),
        Case(rule: "check-constraint-name", bad: ["op.create_check_constraint(\"ck_projects_title\", \"projects\", \"length(title) > 0\", postgresql_not_valid=True)"],
             badDown: ["op.drop_constraint(\"ck_projects_title\", \"projects\", type_=\"check\")"], line: 1,
             good: ["op.create_check_constraint(\"chk_projects_title\", \"projects\", \"length(title) > 0\", postgresql_not_valid=True)"],
             goodDown: ["op.drop_constraint(\"chk_projects_title\", \"projects\", type_=\"check\")"], fix: "chk_projects_<name>"),
        Case(rule: "check-constraint-name", bad: ["op.create_check_constraint(\"chk_projects_title_values\", \"projects\", \"title IN ('a','b')\", postgresql_not_valid=True)"],
             badDown: ["op.drop_constraint(\"chk_projects_title_values\", \"projects\", type_=\"check\")"], line: 1,
             good: ["op.create_check_constraint(\"chk_projects_title\", \"projects\", \"title IN ('a','b')\", postgresql_not_valid=True)"],
             goodDown: ["op.drop_constraint(\"chk_projects_title\", \"projects\", type_=\"check\")"], fix: "chk_projects_title"),
        Case(rule: "identifier-too-long", bad: ["op.add_column(\"projects\", sa.Column(\"\(String(repeating: "a", count: 64))\", sa.Text(), nullable=True))"],
             badDown: ["op.drop_column(\"projects\", \"\(String(repeating: "a", count: 64))\")"], line: 1,
             good: ["op.add_column(\"projects\", sa.Column(\"\(String(repeating: "a", count: 63))\", sa.Text(), nullable=True))"],
             goodDown: ["op.drop_column(\"projects\", \"\(String(repeating: "a", count: 63))\")"], fix: "63 bytes"),
        Case(rule: "set-not-null-scan", bad: ["op.alter_column(\"projects\", \"title\", nullable=False)"],
             badDown: ["op.alter_column(\"projects\", \"title\", nullable=True)"], line: 1,
             good: ["op.create_check_constraint(\"chk_projects_title_not_null\", \"projects\", \"title IS NOT NULL\", postgresql_not_valid=True)",
                    ac, "    op.execute(\"ALTER TABLE projects VALIDATE CONSTRAINT chk_projects_title_not_null\")",
                    "op.alter_column(\"projects\", \"title\", nullable=False)", "op.drop_constraint(\"chk_projects_title_not_null\", \"projects\", type_=\"check\")"],
             goodDown: ["op.alter_column(\"projects\", \"title\", nullable=True)"], fix: "IS NOT NULL"),
        Case(rule: "column-type-rewrite", bad: ["op.alter_column(\"projects\", \"code\", type_=sa.String(length=16))"],
             badDown: ["op.alter_column(\"projects\", \"code\", type_=sa.String(length=32))"], line: 1,
             good: ["op.alter_column(\"projects\", \"code\", type_=sa.String(length=64))"],
             goodDown: ["op.alter_column(\"projects\", \"code\", type_=sa.String(length=32))"], fix: "new column"),
        Case(rule: "backfill-in-transaction",
             bad: ["op.add_column(\"projects\", sa.Column(\"score\", sa.BigInteger(), nullable=True))", "op.execute(\"UPDATE projects SET score = 0\")"],
             badDown: ["op.drop_column(\"projects\", \"score\")"], line: 2,
             good: ["op.add_column(\"projects\", sa.Column(\"score\", sa.BigInteger(), nullable=True))", ac, "    op.execute(\"UPDATE projects SET score = 0\")"],
             goodDown: ["op.drop_column(\"projects\", \"score\")"], fix: "autocommit_block"),
        Case(rule: "manual-transaction", bad: ["op.execute(\"COMMIT\")", "op.execute(\"VACUUM projects\")"], badDown: ["pass"], line: 1,
             good: [ac, "    op.execute(\"VACUUM projects\")"], goodDown: ["pass"], fix: "autocommit_block"),
        Case(rule: "unparsable-sql", bad: ["op.execute(\"ALTER TABLE projects ADD COLUM x int\")"], badDown: ["op.drop_column(\"projects\", \"x\")"], line: 1,
             good: ["op.execute(\"ALTER TABLE projects ADD COLUMN x bigint\")"], goodDown: ["op.drop_column(\"projects\", \"x\")"], fix: "psql"),
        Case(rule: "blocking-unique-constraint", bad: ["op.create_unique_constraint(\"uniq_projects_title\", \"projects\", [\"title\"])"],
             badDown: ["op.drop_constraint(\"uniq_projects_title\", \"projects\", type_=\"unique\")"], line: 1,
             good: [ac, "    op.create_index(\"uniq_projects_title\", \"projects\", [\"title\"], unique=True, postgresql_concurrently=True)",
                    "op.execute(\"ALTER TABLE projects ADD CONSTRAINT uniq_projects_title UNIQUE USING INDEX uniq_projects_title\")"],
             goodDown: ["op.drop_constraint(\"uniq_projects_title\", \"projects\", type_=\"unique\")"], fix: "USING INDEX"),
        Case(rule: "drop-column", bad: ["op.drop_column(\"projects\", \"title\")"], badDown: ["op.add_column(\"projects\", sa.Column(\"title\", sa.Text(), nullable=True))"], line: 1,
             good: ["op.add_column(\"projects\", sa.Column(\"archived_at\", sa.DateTime(timezone=True), nullable=True))"], goodDown: ["op.drop_column(\"projects\", \"archived_at\")"], fix: "deploy"),
        Case(rule: "drop-table", bad: ["op.drop_table(\"users\")"], badDown: ["op.create_table(\"users\", sa.Column(\"id\", postgresql.UUID(as_uuid=True), nullable=False), sa.PrimaryKeyConstraint(\"id\"))"], line: 1,
             good: ["op.add_column(\"users\", sa.Column(\"archived_at\", sa.DateTime(timezone=True), nullable=True))"], goodDown: ["op.drop_column(\"users\", \"archived_at\")"], fix: "no code"),
        Case(rule: "rename-column", bad: ["op.alter_column(\"projects\", \"title\", new_column_name=\"name\")"], badDown: ["op.alter_column(\"projects\", \"name\", new_column_name=\"title\")"], line: 1,
             good: ["op.add_column(\"projects\", sa.Column(\"name\", sa.Text(), nullable=True))"], goodDown: ["op.drop_column(\"projects\", \"name\")"], fix: "add the new column"),
        Case(rule: "rename-table", bad: ["op.rename_table(\"users\", \"members\")"], badDown: ["op.rename_table(\"members\", \"users\")"], line: 1,
             good: ["op.create_table(\"members\", sa.Column(\"id\", postgresql.UUID(as_uuid=True), nullable=False), sa.PrimaryKeyConstraint(\"id\"))"], goodDown: ["op.drop_table(\"members\")"], fix: "view"),
        Case(rule: "drop-not-null", bad: ["op.alter_column(\"projects\", \"code\", nullable=True)"], badDown: ["op.alter_column(\"projects\", \"code\", nullable=False)"], line: 1,
             good: ["op.alter_column(\"projects\", \"code\", server_default=sa.text(\"'y'\"))"], goodDown: ["op.alter_column(\"projects\", \"code\", server_default=sa.text(\"'x'\"))"], fix: "NULL"),
        Case(rule: "prefer-timestamptz", bad: ["op.add_column(\"projects\", sa.Column(\"due\", sa.DateTime(), nullable=True))"], badDown: ["op.drop_column(\"projects\", \"due\")"], line: 1,
             good: ["op.add_column(\"projects\", sa.Column(\"due\", sa.DateTime(timezone=True), nullable=True))"], goodDown: ["op.drop_column(\"projects\", \"due\")"], fix: "timezone=True"),
        Case(rule: "prefer-bigint", bad: ["op.create_table(\"tags\", sa.Column(\"id\", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint(\"id\"))"], badDown: ["op.drop_table(\"tags\")"], line: 1,
             good: ["op.create_table(\"tags\", sa.Column(\"id\", sa.BigInteger(), nullable=False), sa.PrimaryKeyConstraint(\"id\"))"], goodDown: ["op.drop_table(\"tags\")"], fix: "sa.BigInteger()"),
        Case(rule: "prefer-jsonb", bad: ["op.add_column(\"projects\", sa.Column(\"meta\", sa.JSON(), nullable=True))"], badDown: ["op.drop_column(\"projects\", \"meta\")"], line: 1,
             good: ["op.add_column(\"projects\", sa.Column(\"meta\", postgresql.JSONB(astext_type=sa.Text()), nullable=True))"], goodDown: ["op.drop_column(\"projects\", \"meta\")"], fix: "JSONB"),
        Case(rule: "prefer-text", bad: ["op.add_column(\"projects\", sa.Column(\"slug\", sa.String(length=10), nullable=True))"], badDown: ["op.drop_column(\"projects\", \"slug\")"], line: 1,
             good: ["op.add_column(\"projects\", sa.Column(\"slug\", sa.Text(), nullable=True))"], goodDown: ["op.drop_column(\"projects\", \"slug\")"], fix: "sa.Text()"),
        Case(rule: "char-column", bad: ["op.execute(\"ALTER TABLE projects ADD COLUMN country char(2)\")"], badDown: ["op.drop_column(\"projects\", \"country\")"], line: 1,
             good: ["op.execute(\"ALTER TABLE projects ADD COLUMN country text\")"], goodDown: ["op.drop_column(\"projects\", \"country\")"], fix: "sa.Text()"),
        Case(rule: "empty-downgrade", bad: ["op.add_column(\"projects\", sa.Column(\"note\", sa.Text(), nullable=True))"], badDown: ["pass"], line: 0,
             good: ["op.add_column(\"projects\", sa.Column(\"note\", sa.Text(), nullable=True))"], goodDown: ["op.drop_column(\"projects\", \"note\")"], fix: "inverse"),
        Case(rule: "unfinished-template", bad: ["# TODO: implement upgrade", "pass"], badDown: ["pass"], line: -1,
             good: ["op.add_column(\"projects\", sa.Column(\"note\", sa.Text(), nullable=True))"], goodDown: ["op.drop_column(\"projects\", \"note\")"], fix: "--spec"),
        Case(rule: "downgrade-mismatch",
             bad: ["op.add_column(\"projects\", sa.Column(\"a\", sa.Text(), nullable=True))", "op.add_column(\"projects\", sa.Column(\"b\", sa.Text(), nullable=True))"],
             badDown: ["op.drop_column(\"projects\", \"b\")"], line: 0,
             good: ["op.add_column(\"projects\", sa.Column(\"a\", sa.Text(), nullable=True))", "op.add_column(\"projects\", sa.Column(\"b\", sa.Text(), nullable=True))"],
             goodDown: ["op.drop_column(\"projects\", \"b\")", "op.drop_column(\"projects\", \"a\")"], fix: "reverse order"),
        Case(rule: "downgrade-mismatch",
             bad: ["op.alter_column(\"projects\", \"code\", server_default=sa.text(\"'y'\"))"], badDown: ["op.alter_column(\"projects\", \"code\", server_default=None)"], line: 0,
             good: ["op.alter_column(\"projects\", \"code\", server_default=sa.text(\"'y'\"))"], goodDown: ["op.alter_column(\"projects\", \"code\", server_default=sa.text(\"'x'\"))"], fix: "default"),
    ]

    func testEveryRuleCaseFindsTheBadAndNotTheFixed() {
        for c in Self.cases {
            let bad = Mig(revision: Self.r2, down: Self.r1, up: c.bad, downgrade: c.badDown)
            let found = Self.run([Self.base, bad]).filter { $0.rule == c.rule && $0.file == bad.name }
            let line = c.line == 0 ? bad.downgradeLine : c.line == -1 ? 20 : Mig.upLine(c.line)
            XCTAssertEqual(found.map { "\($0.file):\($0.line)" }, ["\(bad.name):\(line)"], "\(c.rule): bad history")
            if let f = found.first {
                XCTAssertTrue(f.fix.contains(c.fix), "\(c.rule): fix \(f.fix) lacks \(c.fix)")
                XCTAssertFalse(f.message.isEmpty)
                XCTAssertEqual(f.severity, CheckRules.rule(c.rule)?.severity)
            }
            let good = Mig(revision: Self.r2, down: Self.r1, up: c.good, downgrade: c.goodDown)
            let fixed = Self.run([Self.base, good])
            XCTAssertEqual(fixed.filter { $0.rule == c.rule && $0.file == good.name }.map { "\($0.line) \($0.message)" }, [], "\(c.rule): fixed history")
        }
    }

    func testLockRulesSkipTablesTheSameMigrationCreated() {
        let m = Mig(revision: Self.r2, down: Self.r1, up: [
            "op.create_table(\"tasks\", sa.Column(\"id\", sa.BigInteger(), nullable=False), sa.Column(\"title\", sa.Text(), nullable=True), sa.PrimaryKeyConstraint(\"id\"))",
            "op.create_index(\"idx_tasks_title\", \"tasks\", [\"title\"])",
            "op.add_column(\"tasks\", sa.Column(\"kind\", sa.Text(), nullable=False))",
            "op.create_check_constraint(\"chk_tasks_kind\", \"tasks\", \"kind <> ''\")",
            "op.alter_column(\"tasks\", \"title\", nullable=False)",
            "op.create_unique_constraint(\"uniq_tasks_kind\", \"tasks\", [\"kind\"])",
            "op.execute(\"UPDATE tasks SET kind = 'a'\")",
        ], downgrade: ["op.drop_table(\"tasks\")"])
        let found = Self.run([Self.base, m]).filter { $0.file == m.name }
        XCTAssertEqual(found.map(\.rule), [])
    }

    /// Found on the generated drop_table: its indexes are dropped first, then the table (locked whole anyway).
    func testIndexesDroppedWithTheirTableNeedNoConcurrently() {
        let m = Mig(revision: Self.r2, down: Self.r1, up: ["op.drop_index(\"idx_projects_owner_id\", table_name=\"projects\")", "op.drop_table(\"projects\")"],
                    downgrade: ["pass"])
        XCTAssertEqual(Self.run([Self.base, m]).filter { $0.rule == "drop-index-not-concurrent" }.count, 0)
    }

    /// Found on the realistic histories: the index on a foreign key often comes in a later migration.
    func testAnIndexALaterMigrationAddsMendsTheForeignKey() {
        let fk = Mig(revision: Self.r2, down: Self.r1, up: [
            "op.create_table(\"tasks\", sa.Column(\"id\", sa.BigInteger(), nullable=False), sa.Column(\"project_id\", postgresql.UUID(as_uuid=True), nullable=True), sa.ForeignKeyConstraint([\"project_id\"], [\"projects.id\"], name=\"fk_tasks_project_id\"), sa.PrimaryKeyConstraint(\"id\"))",
        ], downgrade: ["op.drop_table(\"tasks\")"])
        let index = Mig(revision: Self.r3, down: Self.r2, up: [Self.ac, "    op.create_index(\"idx_tasks_project_id\", \"tasks\", [\"project_id\"], postgresql_concurrently=True)"],
                        downgrade: ["op.drop_index(\"idx_tasks_project_id\", table_name=\"tasks\")"])
        XCTAssertEqual(Self.run([Self.base, fk]).filter { $0.rule == "fk-without-index" }.count, 1)
        XCTAssertEqual(Self.run([Self.base, fk, index]).filter { $0.rule == "fk-without-index" }.count, 0)
    }

    /// Found on the realistic histories: the key columns of a join table are references.
    func testPreferBigintIsAboutSoleKeys() {
        let join = Mig(revision: Self.r2, down: Self.r1, up: [
            "op.create_table(\"tags\", sa.Column(\"note_id\", sa.Integer(), nullable=False), sa.Column(\"line\", sa.SmallInteger(), nullable=False), sa.PrimaryKeyConstraint(\"note_id\", \"line\"))",
        ], downgrade: ["op.drop_table(\"tags\")"])
        XCTAssertEqual(Self.run([Self.base, join]).filter { $0.rule == "prefer-bigint" }.count, 0)
        let small = Mig(revision: Self.r2, down: Self.r1, up: ["op.create_table(\"tags\", sa.Column(\"id\", sa.SmallInteger(), nullable=False), sa.PrimaryKeyConstraint(\"id\"))"],
                        downgrade: ["op.drop_table(\"tags\")"])
        XCTAssertEqual(Self.run([Self.base, small]).filter { $0.rule == "prefer-bigint" }.first?.message.contains("32,767"), true)
    }

    /// Found on the benchmark's history: a data migration's downgrade is `pass` with nothing to undo.
    func testADataMigrationMayHaveAnEmptyDowngrade() {
        let data = Mig(revision: Self.r2, down: Self.r1, up: ["op.execute(\"UPDATE projects SET title = 'x' WHERE title IS NULL\")"], downgrade: ["pass"])
        XCTAssertEqual(Self.run([Self.base, data]).filter { $0.rule == "empty-downgrade" }.count, 0)
    }

    /// downgrade-mismatch compares only the tables a migration touches (a replay of the whole
    /// history per migration would be quadratic); on real histories it must agree with the whole
    /// comparison: `schema(afterDowngradeOf:)` against `schema(at:)` of the parents.
    func testDowngradeMismatchAgreesWithTheWholeSchemaComparison() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("integration/histories")
        let dirs = [SchemaFixtures.exampleVersions] + (try FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil))
        var compared = 0
        for dir in dirs {
            let history = try VersionsDirectory(url: dir).readHistory(downgrades: true)
            let context = CheckContext(history: history)
            for m in context.migrations {
                guard let differences = m.downgradeDifferences, let revision = history.graph.files[m.fileIndex].revision,
                      let back = history.schema(afterDowngradeOf: revision) else { continue }
                let parents = history.graph.parents(ofFile: m.fileIndex).compactMap { history.graph.files[$0].revision }
                let before = parents.isEmpty ? HistorySchema() : history.schema(at: parents)
                let names = Set(back.tables.keys).union(before.tables.keys)
                let whole = names.sorted().compactMap { n in TableComparison.difference(was: before.tables[n], now: back.tables[n]).map { (n, $0) } }
                XCTAssertEqual(differences.map(\.table), whole.map(\.0), "\(dir.lastPathComponent)/\(m.fileName)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 30)
    }

    func testTheContractsRulesAndTheHistoryRulesAllExist() {
        for id in ["filename-pattern", "revision-mismatch", "multiple-heads", "duplicate-sequence", "missing-down-revision", "empty-downgrade",
                   "unfinished-template", "check-constraint-name", "fk-without-index", "identifier-too-long", "not-null-without-default",
                   "volatile-default-on-existing-table", "index-not-concurrent", "unused-ignore"] {
            XCTAssertNotNil(CheckRules.rule(id), id)
        }
        XCTAssertEqual(Set(CheckRules.ids).count, CheckRules.all.count, "ids are unique")
    }

    // MARK: History rules

    func ids(_ migs: [Mig]) -> [String] { Self.run(migs).map { "\($0.rule) \($0.file):\($0.line)" } }

    func testHistoryRules() {
        let ok2 = Mig(revision: Self.r2, down: Self.r1, up: ["pass"])
        XCTAssertEqual(ids([Self.base, ok2]).filter { !$0.hasPrefix("prefer-") }, [])

        // filename-pattern
        let oddName = Mig(revision: Self.r2, down: Self.r1, up: ["pass"], fileName: "add_stuff.py")
        XCTAssertTrue(ids([Self.base, oddName]).contains("filename-pattern add_stuff.py:1"))
        // revision-mismatch: the file name, and the docstring
        let misnamed = Mig(revision: Self.r2, down: Self.r1, up: ["pass"], fileName: "\(Self.r3)_step.py")
        XCTAssertTrue(ids([Self.base, misnamed]).contains("revision-mismatch \(Self.r3)_step.py:14"))
        let docWrong = Mig(revision: Self.r2, down: Self.r1, up: ["pass"], docRevision: Self.r3)
        XCTAssertTrue(ids([Self.base, docWrong]).contains("revision-mismatch \(docWrong.name):14"))
        XCTAssertFalse(ids([Self.base, ok2]).contains { $0.hasPrefix("revision-mismatch") })
        // multiple-heads: one finding per head
        let other = Mig(revision: Self.r3, down: Self.r1, up: ["pass"])
        XCTAssertEqual(ids([Self.base, ok2, other]).filter { $0.hasPrefix("multiple-heads") }, ["multiple-heads \(ok2.name):14", "multiple-heads \(other.name):14"])
        let chained = Mig(revision: Self.r3, down: Self.r2, up: ["pass"])
        XCTAssertEqual(ids([Self.base, ok2, chained]).filter { $0.hasPrefix("multiple-heads") }, [])
        // duplicate-sequence
        let sameSeq = Mig(revision: "20260202_000002", down: Self.r2, up: ["pass"])
        XCTAssertEqual(ids([Self.base, ok2, sameSeq]).filter { $0.hasPrefix("duplicate-sequence") }, ["duplicate-sequence \(ok2.name):14", "duplicate-sequence \(sameSeq.name):14"])
        // duplicate-revision
        let twin = Mig(revision: Self.r2, down: Self.r1, up: ["pass"], fileName: "\(Self.r2)_twin.py")
        XCTAssertTrue(ids([Self.base, ok2, twin]).contains("duplicate-revision \(twin.name):14"))
        // missing-down-revision: at the down_revision line
        let orphan = Mig(revision: Self.r2, down: "20250101_000009", up: ["pass"])
        XCTAssertEqual(ids([Self.base, orphan]).filter { $0.hasPrefix("missing-down-revision") }, ["missing-down-revision \(orphan.name):15"])
        // revision-cycle
        let a = Mig(revision: Self.r2, down: Self.r3, up: ["pass"]), b = Mig(revision: Self.r3, down: Self.r2, up: ["pass"])
        XCTAssertTrue(ids([Self.base, a, b]).contains { $0.hasPrefix("revision-cycle") })
        // unreadable-file
        let broken = "revision = 1 + 2\n"
        let found = CheckRun(history: SchemaReader.history(files: [(Self.base.name, Self.base.text), ("\(Self.r2)_broken.py", broken)])).findings
        XCTAssertTrue(found.contains { $0.rule == "unreadable-file" && $0.file == "\(Self.r2)_broken.py" && $0.severity == .critical })
        // missing-downgrade
        let noDown = Mig(revision: Self.r2, down: Self.r1, up: ["op.add_column(\"projects\", sa.Column(\"n\", sa.Text(), nullable=True))"], downgrade: nil)
        XCTAssertEqual(ids([Self.base, noDown]).filter { $0.hasPrefix("missing-downgrade") }, ["missing-downgrade \(noDown.name):20"])
    }

    func testStatusStillReportsTheNamingProblemsTheRulesFind() {
        let misnamed = Mig(revision: Self.r2, down: Self.r1, up: ["pass"], fileName: "\(Self.r3)_step.py")
        let graph = SchemaReader.history(files: [(Self.base.name, Self.base.text), (misnamed.name, misnamed.text)]).graph
        XCTAssertEqual(graph.problems.map(\.kind), [.nameRevisionMismatch])
        // Revises: disagreeing is check's alone: status's kinds stay the contract's.
        var revisesWrong = Mig(revision: Self.r2, down: Self.r1, up: ["pass"])
        revisesWrong.fileName = nil
        let text = revisesWrong.text.replacingOccurrences(of: "Revises: \(Self.r1)", with: "Revises: 20250101_000009")
        let history = SchemaReader.history(files: [(Self.base.name, Self.base.text), (revisesWrong.name, text)])
        XCTAssertEqual(history.graph.problems.map(\.kind), [])
        XCTAssertEqual(CheckRun(history: history).findings.filter { $0.rule == "revision-mismatch" }.map(\.line), [14])
    }

    // MARK: Suppression and settings

    func testIgnoreOnTheLineOrTheLineAboveSilencesAndAnUnusedIgnoreIsReported() {
        let bad = "op.create_index(\"idx_projects_title\", \"projects\", [\"title\"])"
        let down = ["op.drop_index(\"idx_projects_title\", table_name=\"projects\")"]
        let same = Mig(revision: Self.r2, down: Self.r1, up: [bad + "  # vejamigrate: ignore[index-not-concurrent] small table"], downgrade: down)
        XCTAssertEqual(Self.run([Self.base, same]).filter { $0.file == same.name }.map(\.rule), [])
        let above = Mig(revision: Self.r2, down: Self.r1, up: ["# vejamigrate: ignore[prefer-text, index-not-concurrent] small table", bad], downgrade: down)
        XCTAssertEqual(Self.run([Self.base, above]).filter { $0.file == above.name }.map { "\($0.rule):\($0.line)" }, ["unused-ignore:21"])
        let unused = Self.run([Self.base, above]).first { $0.rule == "unused-ignore" }
        XCTAssertEqual(unused?.severity, .info)
        XCTAssertTrue(unused?.message.contains("prefer-text") ?? false)
        let far = Mig(revision: Self.r2, down: Self.r1, up: ["# vejamigrate: ignore[index-not-concurrent]", "pass", bad], downgrade: down)
        XCTAssertEqual(Set(Self.run([Self.base, far]).filter { $0.file == far.name }.map(\.rule)), ["unused-ignore", "index-not-concurrent"])
        let typo = Mig(revision: Self.r2, down: Self.r1, up: [bad + "  # vejamigrate: ignore[index-not-concurent]"], downgrade: down)
        let typoFound = Self.run([Self.base, typo]).filter { $0.rule == "unused-ignore" }
        XCTAssertTrue(typoFound.first?.fix.contains("index-not-concurrent") ?? false)
    }

    func testIgnoreCommentsAreNotFoundInStrings() {
        let m = Mig(revision: Self.r2, down: Self.r1, up: ["op.execute(\"COMMENT ON TABLE projects IS '# vejamigrate: ignore[drop-table]'\")"], downgrade: ["pass"])
        XCTAssertEqual(Self.run([Self.base, m]).filter { $0.rule == "unused-ignore" }.count, 0)
    }

    func testSettingsDisableAndChangeSeverity() {
        let m = Mig(revision: Self.r2, down: Self.r1, up: ["op.create_index(\"idx_projects_title\", \"projects\", [\"title\"])"],
                    downgrade: ["op.drop_index(\"idx_projects_title\", table_name=\"projects\")"])
        XCTAssertEqual(Self.run([Self.base, m], settings: CheckSettings(disabled: ["index-not-concurrent"])).filter { $0.rule == "index-not-concurrent" }.count, 0)
        let raised = Self.run([Self.base, m], settings: CheckSettings(severities: ["index-not-concurrent": .critical])).filter { $0.rule == "index-not-concurrent" }
        XCTAssertEqual(raised.map(\.severity), [.critical])
        let unknown = CheckSettings(disabled: ["index-not-concurent"], severities: ["no-such-rule": .info]).unknownRules
        XCTAssertEqual(unknown.map(\.id), ["index-not-concurent", "no-such-rule"])
        XCTAssertEqual(unknown.first?.suggestion, "index-not-concurrent")
        XCTAssertTrue(unknown[0].message.contains("disable"))
        XCTAssertEqual(CheckSettings(disabled: ["drop-table"]).unknownRules, [])
    }

    func testScopeReportsOnlyTheFilesNamed() {
        let m2 = Mig(revision: Self.r2, down: Self.r1, up: ["op.create_index(\"idx_projects_title\", \"projects\", [\"title\"])"],
                     downgrade: ["op.drop_index(\"idx_projects_title\", table_name=\"projects\")"])
        let history = SchemaReader.history(files: [(Self.base.name, Self.base.text), (m2.name, m2.text)])
        XCTAssertEqual(Set(CheckRun(history: history, scope: [Self.base.name]).findings.map(\.file)).subtracting([Self.base.name]), [])
        XCTAssertTrue(CheckRun(history: history, scope: [m2.name]).findings.contains { $0.rule == "index-not-concurrent" })
    }

    // MARK: The facts the reader records, and the cache

    func testReaderFactsSurviveTheCache() throws {
        let m = Mig(revision: Self.r2, down: Self.r1, up: [
            "op.create_index(\"idx_a\", \"projects\", [\"title\"], postgresql_concurrently=True)  # vejamigrate: ignore[concurrently-in-transaction]",
            Self.ac, "    op.execute(\"DROP INDEX CONCURRENTLY idx_projects_owner_id\")", "op.execute(\"UPDATE projects SET title = 'x'\")", "op.execute(\"BEGIN\")",
        ], downgrade: ["# TODO: implement downgrade", "pass"])
        let source = SchemaReader.source(fileName: m.name, bytes: Array(m.text.utf8), downgrade: true)
        XCTAssertEqual(source.changes.map(\.facts), [.concurrently, [.concurrently, .autocommit, .sql], .sql, .sql])
        XCTAssertEqual(source.changes.suffix(2).map(\.change), [.data("UPDATE", table: "projects"), .transaction("BEGIN")])
        XCTAssertEqual(source.comments.map(\.line), [21, 29])
        XCTAssertEqual(source.upgradeOutline, FunctionOutline(line: 20, lastLine: 25, passOnly: false))
        XCTAssertEqual(source.downgradeOutline, FunctionOutline(line: 28, lastLine: 30, passOnly: true))
        XCTAssertEqual([source.revisionLine, source.downRevisionLine], [14, 15])
        var e = SourceEncoder()
        source.encode(to: &e)
        let back = try e.bytes.withUnsafeBytes { raw in
            var d = SourceDecoder(raw)
            return try MigrationSource.decode(fileName: m.name, from: &d, downgrade: true)
        }
        XCTAssertEqual(back.changes, source.changes)
        XCTAssertEqual(back.downgradeChanges, source.downgradeChanges)
        XCTAssertEqual(back.comments, source.comments)
        XCTAssertEqual(back.upgradeOutline, source.upgradeOutline)
        XCTAssertEqual(back.downgradeOutline, source.downgradeOutline)
        XCTAssertEqual([back.revisionLine, back.downRevisionLine], [14, 15])
    }
}
