import XCTest
@testable import VejaMigrateCore

/// Every rule of `NameRules.table`, on a history that has what the history-reading rules read.
final class NameRulesTests: XCTestCase {
    /// projects (uuid key) has three foreign keys to it, two CASCADE and one RESTRICT; users (bigint
    /// key) has one SET NULL; `priority` is a smallint NOT NULL in two tables, integer in one.
    private var schema: HistorySchema {
        var s = HistorySchema()
        var projects = SchemaTable(name: "projects")
        projects.columns = [SchemaColumn(name: "id", type: "postgresql.UUID(as_uuid=True)", nullable: false)]
        projects.primaryKey = ["id"]
        var users = SchemaTable(name: "users")
        users.columns = [SchemaColumn(name: "id", type: "sa.BigInteger()", nullable: false)]
        users.primaryKey = ["id"]
        var categories = SchemaTable(name: "categories")
        categories.columns = [SchemaColumn(name: "code", type: "sa.String(length=16)", nullable: false)]
        categories.primaryKey = ["code"]
        func fk(_ column: String, _ table: String, _ od: String?) -> SchemaForeignKey {
            SchemaForeignKey(name: "fk_\(column)", columns: [column], referencedTable: table, referencedColumns: ["id"], onDelete: od)
        }
        var tasks = SchemaTable(name: "tasks")
        tasks.columns = [SchemaColumn(name: "priority", type: "sa.SmallInteger()", nullable: false)]
        tasks.foreignKeys = [fk("project_id", "projects", "CASCADE"), fk("owner_id", "users", "SET NULL")]
        var notes = SchemaTable(name: "notes")
        notes.columns = [SchemaColumn(name: "priority", type: "sa.SmallInteger()", nullable: false)]
        notes.foreignKeys = [fk("project_id", "projects", "CASCADE"), fk("other_id", "projects", "RESTRICT")]
        var labels = SchemaTable(name: "labels")
        labels.columns = [SchemaColumn(name: "priority", type: "sa.Integer()")]
        for t in [projects, users, categories, tasks, notes, labels] { s.tables[t.name] = t }
        return s
    }

    private func suggest(_ name: String, _ schema: HistorySchema? = nil) -> ColumnSuggestion? {
        NameRules.suggest(for: name, schema: schema)
    }

    func testReferenceTakesTheKeyTypeTheTableAndTheMostUsedOnDelete() throws {
        let p = try XCTUnwrap(suggest("project_id", schema))
        XCTAssertEqual(p.rule, "reference")
        XCTAssertEqual(p.type, .uuid)
        XCTAssertEqual(p.nullable, false)
        XCTAssertEqual(p.referencesTable, "projects")
        XCTAssertEqual(p.referencesColumn, "id")
        XCTAssertEqual(p.onDelete, .cascade, "two CASCADE against one RESTRICT")
        let u = try XCTUnwrap(suggest("user_id", schema))
        XCTAssertEqual(u.type, .bigint, "the referenced key's type")
        XCTAssertEqual(u.onDelete, .setNull, "the one key to users")
        let c = try XCTUnwrap(suggest("category_id", schema))
        XCTAssertEqual(c.referencesTable, "categories")
        XCTAssertEqual(c.referencesColumn, "code")
        XCTAssertEqual(c.type, .string)
        XCTAssertEqual(c.length, 16)
        XCTAssertEqual(c.onDelete, .cascade, "no key to categories yet: the most used of all (3 CASCADE)")
    }

    func testReferenceWithoutTheTableHasNoForeignKey() throws {
        let s = try XCTUnwrap(suggest("invoice_id", schema))
        XCTAssertNil(s.referencesTable)
        XCTAssertNil(s.onDelete)
        XCTAssertEqual(s.nullable, false)
        XCTAssertEqual(s.type, .uuid, "one uuid, one bigint and one string key: a tie goes to uuid")
        XCTAssertEqual(try XCTUnwrap(suggest("invoice_id")).type, .uuid, "without a history: the seed's uuid")
        var bigints = schema
        for name in ["a", "b"] {
            var t = SchemaTable(name: name)
            t.columns = [SchemaColumn(name: "id", type: "sa.BigInteger()", nullable: false)]
            t.primaryKey = ["id"]
            bigints.tables[name] = t
        }
        XCTAssertEqual(try XCTUnwrap(suggest("invoice_id", bigints)).type, .bigint, "most of the keys are bigint")
    }

    func testTimestampDateFlagStateMoneyCounterEmailDocument() throws {
        XCTAssertEqual(suggest("issued_at")?.type, .datetime)
        XCTAssertNil(suggest("issued_at")?.nullable)
        XCTAssertEqual(suggest("due_on")?.type, .date)
        XCTAssertEqual(suggest("birth_date")?.type, .date)
        for name in ["is_paid", "has_children"] {
            let s = try XCTUnwrap(suggest(name))
            XCTAssertEqual(s.type, .boolean)
            XCTAssertEqual(s.nullable, false)
            XCTAssertEqual(s.defaultValue, .bool(false))
        }
        for name in ["status", "state", "kind"] {
            let s = try XCTUnwrap(suggest(name))
            XCTAssertEqual(s.type, .string)
            XCTAssertEqual(s.length, 32)
            XCTAssertEqual(s.nullable, false)
            XCTAssertTrue(s.asksValues)
        }
        for name in ["amount", "price", "total", "cost"] {
            let s = try XCTUnwrap(suggest(name))
            XCTAssertEqual([s.type], [.numeric])
            XCTAssertEqual(s.precision, 12)
            XCTAssertEqual(s.scale, 2)
            XCTAssertNil(s.nullable)
        }
        let count = try XCTUnwrap(suggest("retry_count"))
        XCTAssertEqual(count.type, .integer)
        XCTAssertEqual(count.nullable, false)
        XCTAssertEqual(count.defaultValue, .int(0))
        XCTAssertEqual(suggest("email")?.type, .string)
        XCTAssertEqual(suggest("email")?.length, 255)
        for name in ["payload", "metadata", "data"] {
            let s = try XCTUnwrap(suggest(name))
            XCTAssertEqual(s.type, .jsonb)
            XCTAssertEqual(s.nullable, false)
            XCTAssertEqual(s.defaultValue, .json(.object([:])))
        }
    }

    func testOtherNamesTakeWhatTheHistoryUsesMost() throws {
        let s = try XCTUnwrap(suggest("priority", schema))
        XCTAssertEqual(s.rule, "history")
        XCTAssertEqual(s.type, .smallint, "two smallint NOT NULL against one integer")
        XCTAssertEqual(s.nullable, false)
        XCTAssertNil(suggest("priority"), "no history, no suggestion")
        XCTAssertNil(suggest("nothing_like_it", schema))
    }

    func testPatternsNeedMoreThanTheAffix() {
        XCTAssertNil(suggest("_at"))
        XCTAssertNil(suggest("is_"))
        XCTAssertNil(suggest("_id"))
        XCTAssertNil(suggest(""))
        XCTAssertEqual(suggest("statuses")?.rule, nil, "exact names are exact")
    }

    func testEveryRuleHasAnIdAPatternAndWords() {
        XCTAssertEqual(Set(NameRules.table.map(\.id)).count, NameRules.table.count)
        XCTAssertEqual(NameRules.table.last?.pattern, .any, "the history's rule comes last")
        for rule in NameRules.table { XCTAssertFalse(rule.explanation.isEmpty, rule.id) }
    }
}

/// The description's plain words fill the operation (docs/name-rules.md, "The description").
final class DescriptionIntentTests: XCTestCase {
    private var schema: HistorySchema {
        var s = HistorySchema()
        s.tables["projects"] = SchemaTable(name: "projects")
        return s
    }

    func testCreateTable() {
        XCTAssertEqual(DescriptionIntent.read("add invoices table", schema: schema), .createTable("invoices"))
        XCTAssertEqual(DescriptionIntent.read("Create table invoices", schema: schema), .createTable("invoices"))
        XCTAssertNil(DescriptionIntent.read("add projects table", schema: schema), "the history has it")
        XCTAssertNil(DescriptionIntent.read("add invoice lines table", schema: schema))
    }

    func testTheDescriptionOfAnOperationReadsBackAsIt() {
        for intent: DescriptionIntent in [.createTable("invoices"), .addColumns(table: "projects", columns: ["archived_at"]),
                                          .addColumns(table: "projects", columns: ["budget", "paid_at"]), .addColumns(table: "projects", columns: ["x", "y", "z"])] {
            XCTAssertEqual(DescriptionIntent.read(intent.description, schema: schema), intent, intent.description)
        }
        XCTAssertEqual(DescriptionIntent.addColumns(table: "projects", columns: ["x", "y", "z"]).description, "add x, y and z to projects")
    }

    func testAddColumns() {
        XCTAssertEqual(DescriptionIntent.read("add archived_at to projects", schema: schema), .addColumns(table: "projects", columns: ["archived_at"]))
        XCTAssertEqual(DescriptionIntent.read("add budget, currency and paid_at columns to the projects table", schema: schema),
                       .addColumns(table: "projects", columns: ["budget", "currency", "paid_at"]))
        XCTAssertNil(DescriptionIntent.read("add archived at to projects", schema: schema), "two words are not one name")
        XCTAssertNil(DescriptionIntent.read("add a column to projects", schema: schema))
        XCTAssertNil(DescriptionIntent.read("add archived_at to invoices", schema: schema), "no such table")
        XCTAssertNil(DescriptionIntent.read("add archived_at to projects", schema: nil), "without the history, no table is known")
        XCTAssertNil(DescriptionIntent.read("fix things", schema: schema))
    }
}
