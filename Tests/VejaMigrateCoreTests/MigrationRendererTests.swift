import Foundation
import XCTest

@testable import VejaMigrateCore

/// Golden-file tests of the Python renderer.
///
/// The expected files live in `Golden/` next to this file (not declared in Package.swift;
/// read through `#filePath`). Each was generated once from the renderer and then checked
/// independently: `ruff format --check --line-length 120` passes and `python3 -m py_compile`
/// passes. To regenerate after a deliberate change, run with `VEJAMIGRATE_UPDATE_GOLDEN=1`
/// and check the files again with ruff and py_compile before committing them.
final class MigrationRendererTests: XCTestCase {
    static let date = MigrationDate("2026-02-12")!

    /// Compares `text` with the golden file `name`, writing it when asked to (or when it is missing).
    static func assertGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = TestSupport.goldenDirectory.appendingPathComponent(name)
        let update = ProcessInfo.processInfo.environment["VEJAMIGRATE_UPDATE_GOLDEN"] == "1"
        if update || !FileManager.default.fileExists(atPath: url.path) {
            try? FileManager.default.createDirectory(at: TestSupport.goldenDirectory, withIntermediateDirectories: true)
            XCTAssertNoThrow(try Data(text.utf8).write(to: url), file: file, line: line)
            // A recording run never passes, so a silent re-record cannot slip through.
            XCTFail("Recorded new baseline for \(name)\(update ? "" : " (it was missing)"); verify it and run again", file: file, line: line)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return XCTFail("cannot read golden file \(url.path)", file: file, line: line)
        }
        let expected = String(decoding: data, as: UTF8.self)
        if text != expected {
            let got = text.split(separator: "\n", omittingEmptySubsequences: false)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            XCTFail(
                "\(name) differs from its golden file at line \(first + 1):\n  got:  \(first < got.count ? String(got[first]) : "<end>")\n  want: \(first < want.count ? String(want[first]) : "<end>")",
                file: file, line: line)
        }
    }

    /// The header the file gives back when read: the docstring's first line is the description.
    static func assertReadsBack(
        _ python: String, description: String, revision: String, down: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let h = TestSupport.header(python, file: file, line: line) else { return }
        XCTAssertEqual(h.revision, revision, file: file, line: line)
        XCTAssertEqual(h.downRevisions, down, file: file, line: line)
        XCTAssertTrue(h.declaresDownRevision, file: file, line: line)
        XCTAssertEqual(h.docDescription, description, file: file, line: line)
        XCTAssertEqual(h.docRevisionID, revision, file: file, line: line)
        XCTAssertEqual(h.docRevises, down, file: file, line: line)
        XCTAssertEqual(h.docCreateDate, date.description, file: file, line: line)
    }

    private func render(
        _ description: String, details: String? = nil, revision: String = "20260212_000018", down: [String] = ["20260211_000017"],
        _ operations: [MigrationOperation] = []
    ) -> String {
        MigrationRenderer.python(
            header: MigrationHeaderFields(description: description, details: details, revision: revision, downRevisions: down, date: Self.date),
            operations: operations)
    }

    // MARK: - Empty template

    func testFirstMigrationEmptyTemplate() {
        let python = render("initial schema", revision: "20260212_000001", down: [])
        Self.assertGolden(python, "empty_first.py")
        XCTAssertTrue(python.contains("\nRevises:\n"), "the first migration keeps a bare Revises: line")
        XCTAssertTrue(python.contains("\ndown_revision = None\n"))
        Self.assertReadsBack(python, description: "initial schema", revision: "20260212_000001", down: [])
    }

    func testEmptyTemplateMatchesTheSeed() {
        let python = render("add invoices table")
        Self.assertGolden(python, "empty_next.py")
        let seed = """
            \"\"\"add invoices table

            Revision ID: 20260212_000018
            Revises: 20260211_000017
            Create Date: 2026-02-12
            \"\"\"

            from __future__ import annotations

            import sqlalchemy as sa
            from alembic import op
            from sqlalchemy.dialects import postgresql

            revision = "20260212_000018"
            down_revision = "20260211_000017"
            branch_labels = None
            depends_on = None


            def upgrade() -> None:
                # TODO: implement upgrade
                pass


            def downgrade() -> None:
                # TODO: implement downgrade
                pass

            """
        XCTAssertEqual(python, seed)
        Self.assertReadsBack(python, description: "add invoices table", revision: "20260212_000018", down: ["20260211_000017"])
    }

    func testExtendedDescriptionFollowsCreateDate() {
        let python = render("add invoices table", details: "Why: invoices move out of payments.\n\nSee ticket 42.")
        XCTAssertTrue(python.hasPrefix("\"\"\"add invoices table\n\nRevision ID: 20260212_000018\nRevises: 20260211_000017\nCreate Date: 2026-02-12\n\nWhy: invoices move out of payments.\n\nSee ticket 42.\n\"\"\"\n"), python)
    }

    // MARK: - Merge

    func testMerge() {
        let python = render("merge heads", revision: "20260212_000020", down: ["20260211_000018", "20260211_000019"])
        Self.assertGolden(python, "merge.py")
        XCTAssertTrue(python.contains("\ndown_revision = (\"20260211_000018\", \"20260211_000019\")\n"))
        XCTAssertTrue(python.contains("\nRevises: 20260211_000018, 20260211_000019\n"))
        Self.assertReadsBack(python, description: "merge heads", revision: "20260212_000020", down: ["20260211_000018", "20260211_000019"])
    }

    // MARK: - The contract's spec

    func testInvoicesSpec() throws {
        let spec = TestSupport.invoicesSpec()
        let graph = RevisionGraph(files: [TestSupport.migration("20260211_000017", fileName: "20260211_000017_add_projects.py")])
        let planned = try MigrationPlanner.plan(MigrationRequest(spec: spec, date: Self.date), graph: graph)
        XCTAssertEqual(planned.fileName, "20260212_000018_add_invoices_table.py")
        Self.assertGolden(planned.python, "invoices.py")
        Self.assertReadsBack(planned.python, description: "add invoices table", revision: "20260212_000018", down: ["20260211_000017"])
        // The contract's rules, spot-checked in the text.
        let py = planned.python
        XCTAssertTrue(py.contains("sa.CheckConstraint(\"status IN ('DRAFT','SENT','PAID','VOID')\", name=\"chk_invoices_status\")"), py)
        XCTAssertTrue(py.contains("server_default=sa.text(\"gen_random_uuid()\")"))
        XCTAssertTrue(py.contains("server_default=sa.text(\"'DRAFT'\")"))
        XCTAssertTrue(py.contains("server_default=sa.text(\"'{}'\")"))
        XCTAssertTrue(py.contains("sa.Column(\"created_at\", sa.DateTime(timezone=True), server_default=sa.text(\"now()\"), nullable=False)"))
        XCTAssertTrue(py.contains("name=\"fk_invoices_project_id\""))
        XCTAssertTrue(py.contains("ondelete=\"CASCADE\""))
        XCTAssertTrue(py.contains("sa.UniqueConstraint(\"number\", name=\"uniq_invoices_number\")"))
        XCTAssertTrue(py.contains("op.create_index(\"idx_invoices_project_id\", \"invoices\", [\"project_id\"])"))
        XCTAssertTrue(py.contains("op.create_index(\"idx_invoices_status_issued_at\", \"invoices\", [\"status\", \"issued_at\"])"))
        XCTAssertTrue(py.contains("postgresql.JSONB(astext_type=sa.Text())"))
        XCTAssertTrue(py.contains("sa.Numeric(12, 2)"))
        // downgrade() undoes upgrade() in reverse order.
        let down = py.components(separatedBy: "def downgrade() -> None:\n")[1]
        XCTAssertEqual(
            down,
            """
                op.drop_index("idx_invoices_status_issued_at", table_name="invoices")
                op.drop_index("idx_invoices_issued_at", table_name="invoices")
                op.drop_index("idx_invoices_project_id", table_name="invoices")
                op.drop_table("invoices")

            """)
    }

    // MARK: - Line splitting

    static let longEnumTable: CreateTable = {
        let states = (1...30).map { String(format: "STATE_%02d_WAITING", $0) }
        return CreateTable(
            name: "tickets", timestamps: false,
            columns: [
                Column(name: "id", type: .integer, primaryKey: true),
                Column(name: "status", type: .string, length: 40, nullable: false, enumValues: states, defaultValue: .string(states[0])),
                Column(name: "priority", type: .string, length: 8, enumValues: ["LOW", "MID", "HIGH"]),
                Column(
                    name: "medium_note", type: .text,
                    defaultValue: .string("a default long enough to push the column past one line, but not its arguments")),
                Column(
                    name: "long_note", type: .text,
                    defaultValue: .string(String(repeating: "this default is far too long for any single line ", count: 3))),
                Column(name: "customer_reference_number", type: .string, length: 64),
                Column(name: "assigned_department_code", type: .string, length: 16),
                Column(name: "escalation_level", type: .smallint),
                Column(name: "owner_id", type: .uuid, foreignKey: ForeignKey(table: "very_long_referenced_table_name_for_users", column: "user_identifier", onDelete: .setNull)),
            ],
            indexes: [
                Index(columns: ["customer_reference_number", "assigned_department_code"]),
                Index(columns: ["status", "priority", "escalation_level", "owner_id"], unique: true),
            ])
    }()

    func testLongEnumListSplitsLines() {
        let spec = MigrationSpec(description: "add tickets", operations: [.createTable(Self.longEnumTable)])
        XCTAssertEqual(SpecValidator.issues(in: spec), [])
        let python = render("add tickets", spec.operations)
        Self.assertGolden(python, "long_enum.py")
        let longest = python.split(separator: "\n").filter { !$0.contains("STATE_01_WAITING") && !$0.contains("this default is far too long") }.map(\.count).max() ?? 0
        XCTAssertLessThanOrEqual(longest, 120, "only unsplittable string atoms may exceed the limit")
        Self.assertReadsBack(python, description: "add tickets", revision: "20260212_000018", down: ["20260211_000017"])
    }

    // MARK: - Hostile strings

    static let hostileDescription = "\"Quoted\" start with \"\"\" inside, back\\slash\\ and 'single' quotes\""
    static let hostileDetails = """
        \tIndented with a tab.
            Indented with spaces, then a tab:\tend.
        Contains \"\"\" and ''' and a trailing backslash \\
        \"Starts with a quote
        Revision ID: not_the_real_one
        Revises: nothing

        \t\t- nested item\t
        Ends with a quote"
        """

    static let hostileTable = CreateTable(
        name: "quotes",
        columns: [
            Column(name: "id", type: .uuid, primaryKey: true),
            Column(
                name: "mood", type: .string, length: 32, nullable: false,
                enumValues: ["it's", "say \"hi\"", "back\\slash", "both ' and \"", "trailing\\", "\"\"\"", "''"],
                defaultValue: .string("it's")),
            Column(name: "quip", type: .text, defaultValue: .string("He said \"don't\" \\ twice")),
            Column(name: "dq", type: .text, defaultValue: .string("\"\"")),
            Column(name: "bs", type: .text, defaultValue: .string("\\")),
            Column(name: "meta", type: .jsonb, defaultValue: .json(.object(["k'ey": .string("va\"l\\ue"), "n": .array([.int(1), .bool(false)])]))),
            Column(name: "lt", type: .string, defaultValue: .string("Pridėti sąskaitų lentelę")),
        ])

    func testHostileStrings() {
        let spec = MigrationSpec(description: Self.hostileDescription, details: Self.hostileDetails, operations: [.createTable(Self.hostileTable)])
        XCTAssertEqual(SpecValidator.issues(in: spec), [])
        let python = render(Self.hostileDescription, details: Self.hostileDetails, spec.operations)
        Self.assertGolden(python, "hostile.py")
        Self.assertReadsBack(python, description: Self.hostileDescription, revision: "20260212_000018", down: ["20260211_000017"])
        XCTAssertFalse(python.contains("\t"), "tabs are made spaces")
    }

    /// ruff measures lines by display width: CJK and emoji take two columns. These lines have
    /// at most 120 characters but more than 120 columns, so they must be split.
    func testWideCharactersAndUnicodeWhitespace() {
        let table = CreateTable(
            name: "labels",
            columns: [
                Column(name: "id", type: .uuid, primaryKey: true),
                Column(name: "ja", type: .text, defaultValue: .string(String(repeating: "日本語", count: 13))),
                Column(name: "emoji", type: .string, length: 64, enumValues: (1...9).map { "😀\($0)🎉" }),
                Column(name: "lt", type: .text, defaultValue: .string("Pridėti sąskaitų lentelę su daugybe ilgų žodžių ir dar šiek tiek teksto")),
            ])
        let details = "\u{A0}\u{A0}no-break spaces lead this line\n  \u{3000}two spaces, then an ideographic space\nCRLF line\r\nnext line\rafter a lone CR"
        let spec = MigrationSpec(description: "wide text", details: details, operations: [.createTable(table)])
        XCTAssertEqual(SpecValidator.issues(in: spec), [])
        let python = render("wide text", details: details, spec.operations)
        Self.assertGolden(python, "wide.py")
        XCTAssertTrue(python.contains("\nno-break spaces lead this line\n  two spaces, then an ideographic space\nCRLF line\nnext line\nafter a lone CR\n"), python)
        Self.assertReadsBack(python, description: "wide text", revision: "20260212_000018", down: ["20260211_000017"])
    }

    func testWidthMatchesRuff() {
        XCTAssertEqual(PyExpr.width("abc"), 3)
        XCTAssertEqual(PyExpr.width("日本語"), 6)
        XCTAssertEqual(PyExpr.width("😀"), 2)
        XCTAssertEqual(PyExpr.width("e\u{301}"), 1)
        XCTAssertEqual(PyExpr.width("ąčęėįšųūž"), 9)
        XCTAssertEqual(PyExpr.width("a\u{200B}b"), 2)
        XCTAssertEqual(PyExpr.width("Ｆ"), 2)
    }

    func testDescriptionIsOneLine() {
        let python = render("  add\n invoices\t table  ")
        XCTAssertTrue(python.hasPrefix("\"\"\"add invoices table\n\nRevision ID:"), python)
    }

    func testDetailsWithCRLFKeepTheirLines() {
        let python = render("x", details: "first line\r\nsecond line\r\n\r\nfourth\rfifth")
        XCTAssertTrue(python.contains("Create Date: 2026-02-12\n\nfirst line\nsecond line\n\nfourth\nfifth\n\"\"\"\n"), python)
    }

    func testBlankDetailsAreLeftOut() {
        XCTAssertEqual(render("x", details: " \n\t\n"), render("x"))
        XCTAssertEqual(render("x", details: ""), render("x"))
    }

    func testDetailsAreDedented() {
        let python = render("x", details: "    a\n      b\n    c")
        XCTAssertTrue(python.contains("Create Date: 2026-02-12\n\na\n  b\nc\n\"\"\""), python)
    }

    // MARK: - Pieces

    func testPythonStringQuotes() {
        XCTAssertEqual(PyExpr.pythonString("plain"), "\"plain\"")
        XCTAssertEqual(PyExpr.pythonString("it's"), "\"it's\"")
        XCTAssertEqual(PyExpr.pythonString("say \"hi\""), "'say \"hi\"'")
        XCTAssertEqual(PyExpr.pythonString("a \" and '"), "\"a \\\" and '\"")
        XCTAssertEqual(PyExpr.pythonString("back\\slash"), "\"back\\\\slash\"")
        XCTAssertEqual(PyExpr.pythonString("tab\tnl\n"), "\"tab\\tnl\\n\"")
    }

    func testSQLAlchemyTypes() {
        let table = CreateTable(name: "t", columns: ColumnType.allCases.map { Column(name: $0.rawValue, type: $0) })
        let types = TableDefinition(table).columns.map(MigrationRenderer.sqlalchemyType)
        XCTAssertEqual(types, [
            "postgresql.UUID(as_uuid=True)", "sa.String(length=255)", "sa.Text()", "sa.Integer()", "sa.BigInteger()",
            "sa.SmallInteger()", "sa.Numeric()", "sa.Float()", "sa.Boolean()", "sa.Date()", "sa.DateTime(timezone=True)",
            "postgresql.JSONB(astext_type=sa.Text())", "sa.JSON()",
        ])
    }

    func testDefaultsRenderAsTheContractSays() {
        let table = CreateTable(name: "t", columns: [
            Column(name: "b", type: .boolean, defaultValue: .bool(true)),
            Column(name: "n", type: .integer, defaultValue: .int(0)),
            Column(name: "x", type: .float, defaultValue: .decimal(Decimal(string: "0.5")!)),
            Column(name: "s", type: .text, defaultValue: .string("O'Brien")),
            Column(name: "j", type: .json, defaultValue: .json(.array([]))),
        ])
        let defaults = TableDefinition(table).columns.map(\.serverDefault)
        XCTAssertEqual(defaults, ["true", "0", "0.5", "'O''Brien'", "'[]'"])
        let python = render("x", [.createTable(table)])
        XCTAssertTrue(python.contains("server_default=sa.text(\"'O''Brien'\")"), python)
        XCTAssertTrue(python.contains("server_default=sa.text(\"true\")"), python)
    }

    func testIntegerPrimaryKeyHasNoServerDefault() {
        let table = CreateTable(name: "t", columns: [Column(name: "id", type: .integer, primaryKey: true)])
        let python = render("x", [.createTable(table)])
        XCTAssertTrue(python.contains("sa.Column(\"id\", sa.Integer(), nullable=False)"), python)
        XCTAssertTrue(python.contains("sa.PrimaryKeyConstraint(\"id\")"), python)
    }
}
