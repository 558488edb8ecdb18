import Foundation
import XCTest

@testable import VejaMigrateCore

final class SQLRendererTests: XCTestCase {
    func testInvoicesSpecSQL() {
        let spec = TestSupport.invoicesSpec()
        let sql = SQLRenderer.sql(operations: spec.operations, revision: "20260212_000018")
        MigrationRendererTests.assertGolden(sql, "invoices.sql")
        XCTAssertTrue(sql.contains("    id UUID DEFAULT gen_random_uuid() NOT NULL,\n"), sql)
        XCTAssertTrue(sql.contains("    status VARCHAR(32) DEFAULT 'DRAFT' NOT NULL,\n"), sql)
        XCTAssertTrue(sql.contains("    payload JSONB DEFAULT '{}' NOT NULL,\n"), sql)
        XCTAssertTrue(sql.contains("    CONSTRAINT chk_invoices_status CHECK (status IN ('DRAFT','SENT','PAID','VOID'))"), sql)
        XCTAssertTrue(sql.contains("    CONSTRAINT fk_invoices_project_id FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE"), sql)
        XCTAssertTrue(sql.contains("CREATE INDEX idx_invoices_status_issued_at ON invoices (status, issued_at);"), sql)
        XCTAssertTrue(sql.hasSuffix("DROP INDEX idx_invoices_status_issued_at;\nDROP INDEX idx_invoices_issued_at;\nDROP INDEX idx_invoices_project_id;\nDROP TABLE invoices;\n"), sql)
    }

    func testIntegerPrimaryKeyIsSerial() {
        for (type, serial) in [(ColumnType.integer, "SERIAL"), (.bigint, "BIGSERIAL"), (.smallint, "SMALLSERIAL")] {
            let table = CreateTable(name: "t", columns: [Column(name: "id", type: type, primaryKey: true), Column(name: "n", type: type)])
            let sql = SQLRenderer.sql(operations: [.createTable(table)], revision: "r")
            XCTAssertTrue(sql.contains("CREATE TABLE t (\n    id \(serial) NOT NULL,\n    n \(SQLRenderer.sqlType(TableDefinition(table).columns[1])),\n    PRIMARY KEY (id)\n);"), sql)
        }
    }

    func testIntegerPrimaryKeyWithADefaultIsNotSerial() {
        let table = CreateTable(name: "t", columns: [Column(name: "id", type: .integer, primaryKey: true, defaultValue: .int(1))])
        let sql = SQLRenderer.sql(operations: [.createTable(table)], revision: "r")
        XCTAssertTrue(sql.contains("    id INTEGER DEFAULT 1 NOT NULL,\n"), sql)
    }

    func testCompositePrimaryKey() {
        let table = CreateTable(name: "memberships", columns: [
            Column(name: "user_id", type: .integer, primaryKey: true),
            Column(name: "group_code", type: .string, length: 8, primaryKey: true),
            Column(name: "role", type: .string, length: 16, nullable: false, defaultValue: .string("member")),
        ])
        XCTAssertEqual(SpecValidator.issues(in: MigrationSpec(description: "x", operations: [.createTable(table)])), [])
        let sql = SQLRenderer.sql(operations: [.createTable(table)], revision: "20260212_000018")
        XCTAssertEqual(sql, """
            -- upgrade 20260212_000018
            CREATE TABLE memberships (
                user_id INTEGER NOT NULL,
                group_code VARCHAR(8) NOT NULL,
                role VARCHAR(16) DEFAULT 'member' NOT NULL,
                PRIMARY KEY (user_id, group_code)
            );

            -- downgrade 20260212_000018
            DROP TABLE memberships;

            """)
        let python = MigrationRenderer.python(
            header: MigrationHeaderFields(description: "x", revision: "r", downRevisions: [], date: MigrationDate("2026-02-12")!),
            operations: [.createTable(table)])
        XCTAssertTrue(python.contains("sa.PrimaryKeyConstraint(\"user_id\", \"group_code\")"), python)
        XCTAssertTrue(python.contains("sa.Column(\"user_id\", sa.Integer(), nullable=False)"), python)
    }

    func testNoOperations() {
        XCTAssertEqual(SQLRenderer.sql(operations: [], revision: "r"), "-- upgrade r\n-- (no statements)\n\n-- downgrade r\n-- (no statements)\n")
    }

    func testQuotesAreEscaped() {
        let table = CreateTable(name: "t", columns: [
            Column(name: "id", type: .uuid, primaryKey: true),
            Column(name: "s", type: .text, enumValues: ["it's", "b"], defaultValue: .string("it's")),
        ])
        let sql = SQLRenderer.sql(operations: [.createTable(table)], revision: "r")
        XCTAssertTrue(sql.contains("    s TEXT DEFAULT 'it''s',\n"), sql)
        XCTAssertTrue(sql.contains("CHECK (s IN ('it''s','b'))"), sql)
    }

    func testTypes() {
        let table = CreateTable(name: "t", columns: ColumnType.allCases.map { Column(name: $0.rawValue, type: $0) })
        let types = TableDefinition(table).columns.map(SQLRenderer.sqlType)
        XCTAssertEqual(types, [
            "UUID", "VARCHAR(255)", "TEXT", "INTEGER", "BIGINT", "SMALLINT", "NUMERIC", "FLOAT", "BOOLEAN", "DATE",
            "TIMESTAMP WITH TIME ZONE", "JSONB", "JSON",
        ])
    }

    func testOperationsDropInReverseOrder() {
        let a = CreateTable(name: "a", columns: [Column(name: "id", type: .uuid, primaryKey: true)])
        let b = CreateTable(name: "b", columns: [
            Column(name: "id", type: .uuid, primaryKey: true),
            Column(name: "a_id", type: .uuid, foreignKey: ForeignKey(table: "a")),
        ])
        let sql = SQLRenderer.sql(operations: [.createTable(a), .createTable(b)], revision: "r")
        XCTAssertTrue(sql.hasSuffix("-- downgrade r\nDROP INDEX idx_b_a_id;\nDROP TABLE b;\nDROP TABLE a;\n"), sql)
        let python = MigrationRenderer.python(
            header: MigrationHeaderFields(description: "x", revision: "r", downRevisions: [], date: MigrationDate("2026-02-12")!),
            operations: [.createTable(a), .createTable(b)])
        XCTAssertTrue(python.hasSuffix("def downgrade() -> None:\n    op.drop_index(\"idx_b_a_id\", table_name=\"b\")\n    op.drop_table(\"b\")\n    op.drop_table(\"a\")\n"), python)
    }
}
