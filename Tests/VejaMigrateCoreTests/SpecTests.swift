import Foundation
import XCTest

@testable import VejaMigrateCore

final class SpecTests: XCTestCase {
    /// Every issue a spec has: the reader's, or (when it reads) the validator's.
    private func issues(_ json: String, description: String? = nil, file: StaticString = #filePath, line: UInt = #line) -> [SpecIssue] {
        do {
            let spec = try SpecReader.read(json: Data(json.utf8))
            return SpecValidator.issues(in: spec, description: description)
        } catch {
            guard case .invalidInput(let list) = error else {
                XCTFail("unexpected error \(error)", file: file, line: line)
                return []
            }
            return list
        }
    }

    /// A spec with one `create_table` of `columns` (JSON objects) on table `table`.
    private func table(_ columns: [String], table: String = "invoices", extra: String = "") -> String {
        "{\"description\": \"x\", \"create_table\": {\"name\": \"\(table)\", \"columns\": [\(columns.joined(separator: ", "))]\(extra)}}"
    }

    /// Asserts exactly one issue on `field`, whose problem and fix mention the given words.
    private func assertIssue(
        _ found: [SpecIssue], field: String, problem: String? = nil, fix: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        let matching = found.filter { $0.field == field }
        guard matching.count == 1, let issue = matching.first else {
            return XCTFail("expected one issue on \(field), got: \(found.map(\.description))", file: file, line: line)
        }
        if let problem { XCTAssertTrue(issue.problem.contains(problem), "problem: \(issue.problem)", file: file, line: line) }
        XCTAssertTrue(issue.fix.contains(fix), "fix: \(issue.fix)", file: file, line: line)
        XCTAssertTrue(issue.description.hasPrefix("error: \(field): "), issue.description, file: file, line: line)
    }

    private let id = "{\"name\": \"id\", \"type\": \"uuid\", \"primary_key\": true}"

    // MARK: - The contract's spec

    func testInvoicesSpecReads() {
        let spec = TestSupport.invoicesSpec()
        XCTAssertEqual(spec.description, "add invoices table")
        XCTAssertEqual(spec.details, "Optional extended description for the docstring.")
        XCTAssertEqual(spec.operations.count, 1)
        guard case .createTable(let t) = spec.operations.first else { return XCTFail() }
        XCTAssertEqual(t.name, "invoices")
        XCTAssertTrue(t.timestamps)
        XCTAssertEqual(t.columns.map(\.name), ["id", "project_id", "status", "amount", "payload", "number", "issued_at"])
        XCTAssertEqual(t.columns[0], Column(name: "id", type: .uuid, primaryKey: true))
        XCTAssertEqual(t.columns[1].foreignKey, ForeignKey(table: "projects", column: "id", onDelete: .cascade))
        XCTAssertEqual(t.columns[1].nullable, false)
        XCTAssertEqual(t.columns[2].enumValues, ["DRAFT", "SENT", "PAID", "VOID"])
        XCTAssertEqual(t.columns[2].defaultValue, .string("DRAFT"))
        XCTAssertEqual(t.columns[2].length, 32)
        XCTAssertEqual(t.columns[3].precision, 12)
        XCTAssertEqual(t.columns[3].scale, 2)
        XCTAssertEqual(t.columns[4].defaultValue, .json(.object([:])))
        XCTAssertTrue(t.columns[5].unique)
        XCTAssertTrue(t.columns[6].index)
        XCTAssertEqual(t.indexes, [Index(columns: ["status", "issued_at"])])
        XCTAssertEqual(SpecValidator.issues(in: spec), [])
    }

    func testOperationsListForm() throws {
        let json = """
            {"description": "two tables", "version": 1, "operations": [
              {"create_table": {"name": "projects", "columns": [{"name": "id", "type": "uuid", "primary_key": true}]}},
              {"create_table": {"name": "payments", "columns": [
                {"name": "id", "type": "integer", "primary_key": true},
                {"name": "project_id", "type": "uuid", "foreign_key": {"table": "projects", "ondelete": "set  null"}}]}}
            ]}
            """
        let spec = try SpecReader.read(json: Data(json.utf8))
        XCTAssertEqual(spec.operations.map(\.key), ["create_table", "create_table"])
        guard case .createTable(let second) = spec.operations[1] else { return XCTFail() }
        XCTAssertEqual(second.name, "payments")
        XCTAssertEqual(second.columns[1].foreignKey, ForeignKey(table: "projects", column: "id", onDelete: .setNull))
        XCTAssertEqual(SpecValidator.issues(in: spec), [])
    }

    func testOperationsListPathsInIssues() {
        let json = """
            {"description": "x", "operations": [
              {"create_table": {"name": "a", "columns": [{"name": "id", "type": "uuid"}]}},
              {"create_table": {"name": "b", "columns": [{"name": "Bad", "type": "uuid"}]}}
            ]}
            """
        assertIssue(issues(json), field: "operations[1].create_table.columns[0].name", fix: "lowercase")
    }

    func testOperationsListMustNotBeEmptyOrMixed() {
        assertIssue(issues("{\"description\": \"x\", \"operations\": []}"), field: "operations", problem: "empty", fix: "add at least one")
        let mixed = "{\"description\": \"x\", \"create_table\": {\"name\": \"a\", \"columns\": [\(id)]}, \"operations\": [{\"create_table\": {\"name\": \"b\", \"columns\": [\(id)]}}]}"
        assertIssue(issues(mixed), field: "create_table", fix: "operations")
        assertIssue(issues("{\"description\": \"x\", \"operations\": [{}]}"), field: "operations[0]", fix: "create_table")
    }

    func testSpecWithoutOperationsIsTheEmptyTemplate() throws {
        let spec = try SpecReader.read(json: Data("{\"description\": \"just a note\"}".utf8))
        XCTAssertEqual(spec, MigrationSpec(description: "just a note"))
        XCTAssertEqual(SpecValidator.issues(in: spec), [])
    }

    // MARK: - Reader errors

    func testInvalidJSON() {
        for text in ["{\"description\": \"x\" \"details\": \"y\"}", "{", "", "not json", "{\"a\": }"] {
            let found = issues(text)
            XCTAssertEqual(found.map(\.field), ["spec"], text)
            XCTAssertTrue(found.first?.problem.contains("not valid JSON") ?? false)
            XCTAssertFalse(found.first?.fix.isEmpty ?? true)
        }
    }

    func testTopLevelMustBeAnObject() {
        assertIssue(issues("[1, 2]"), field: "spec", problem: "must be an object", fix: "{...}")
    }

    func testUnknownOption() {
        let found = issues(table([id, "{\"name\": \"a\", \"type\": \"text\", \"nullabel\": false}"]))
        assertIssue(found, field: "create_table.columns[1].nullabel", problem: "not a known option", fix: "nullable")
        assertIssue(issues("{\"description\": \"x\", \"drop_view\": {}}"), field: "drop_view", problem: "not a known option", fix: "create_table")
        assertIssue(issues(table([id], extra: ", \"timestamp\": true")), field: "create_table.timestamp", fix: "timestamps")
        let fk = "{\"name\": \"p\", \"type\": \"uuid\", \"foreign_key\": {\"table\": \"projects\", \"on_delete\": \"CASCADE\"}}"
        assertIssue(issues(table([id, fk])), field: "create_table.columns[1].foreign_key.on_delete", fix: "ondelete")
    }

    func testUnknownTypeWithHint() {
        let found = issues(table([id, "{\"name\": \"title\", \"type\": \"varchar\"}"]))
        assertIssue(found, field: "create_table.columns[1].type", problem: "\"varchar\" is not a known type", fix: "use \"string\"")
        let other = issues(table([id, "{\"name\": \"title\", \"type\": \"blob\"}"]))
        assertIssue(other, field: "create_table.columns[1].type", problem: "blob", fix: "uuid, string, text")
    }

    /// An unknown type does not hide the other mistakes: all are reported at once, in field order.
    func testUnknownTypeDoesNotStopValidation() {
        let found = issues(table([
            id,
            "{\"name\": \"Title\", \"type\": \"varchar\", \"length\": 0}",
            "{\"name\": \"blob_data\", \"type\": \"blob\", \"length\": 12, \"default\": \"x\"}",
            "{\"name\": \"total\", \"type\": \"numeric\", \"scale\": 2}",
            "{\"name\": \"id\", \"type\": \"uuid\", \"nullabel\": true}",
        ]))
        XCTAssertEqual(found.map(\.field), [
            "create_table.columns[1].name",
            "create_table.columns[1].type",
            "create_table.columns[1].length",
            "create_table.columns[2].type",
            "create_table.columns[3].scale",
            "create_table.columns[4].name",
            "create_table.columns[4].nullabel",
        ], found.map(\.description).joined(separator: "\n"))
        // "varchar" reads on as a string, so its length is checked; "blob" has no type to check against.
        XCTAssertTrue(found[2].problem.contains("out of range"), found[2].problem)
    }

    func testIssuesComeInFieldOrder() {
        let ordered = SpecIssue.inFieldOrder([
            SpecIssue(field: "operations[1].create_table.name", problem: "", fix: ""),
            SpecIssue(field: "operations[0].create_table.columns[10].type", problem: "", fix: ""),
            SpecIssue(field: "description", problem: "", fix: ""),
            SpecIssue(field: "operations[0].create_table.columns[2].foreign_key.table", problem: "", fix: ""),
            SpecIssue(field: "operations[0].create_table.columns[2].name", problem: "", fix: ""),
            SpecIssue(field: "operations[0].create_table.columns[2].frobnicate", problem: "", fix: ""),
        ])
        XCTAssertEqual(ordered.map(\.field), [
            "description",
            "operations[0].create_table.columns[2].name",
            "operations[0].create_table.columns[2].foreign_key.table",
            "operations[0].create_table.columns[2].frobnicate",
            "operations[0].create_table.columns[10].type",
            "operations[1].create_table.name",
        ])
    }

    func testUnknownOnDelete() {
        let fk = "{\"name\": \"p\", \"type\": \"uuid\", \"foreign_key\": {\"table\": \"projects\", \"ondelete\": \"DESTROY\"}}"
        assertIssue(issues(table([id, fk])), field: "create_table.columns[1].foreign_key.ondelete", fix: "CASCADE")
    }

    func testWrongJSONTypes() {
        assertIssue(issues(table([id, "{\"name\": \"a\", \"type\": \"string\", \"length\": \"32\"}"])), field: "create_table.columns[1].length", fix: "without quotes")
        assertIssue(issues(table([id, "{\"name\": \"a\", \"type\": \"text\", \"nullable\": \"no\"}"])), field: "create_table.columns[1].nullable", fix: "true or false")
        assertIssue(issues(table([id, "{\"name\": \"a\", \"type\": \"text\", \"enum\": [\"A\", 1]}"])), field: "create_table.columns[1].enum[1]", fix: "double quotes")
        assertIssue(issues(table([id, "{\"name\": 5, \"type\": \"text\"}"])), field: "create_table.columns[1].name", fix: "double quotes")
        assertIssue(issues(table([id, "{\"name\": \"a\", \"type\": \"text\", \"default\": null}"])), field: "create_table.columns[1].default", fix: "leave \"default\" out")
        assertIssue(issues("{\"description\": \"x\", \"version\": 2}"), field: "version", fix: "1")
    }

    func testRequiredFields() {
        assertIssue(issues(table(["{\"type\": \"uuid\"}"])), field: "create_table.columns[0].name", problem: "required", fix: "\"name\"")
        assertIssue(issues(table(["{\"name\": \"id\"}"])), field: "create_table.columns[0].type", problem: "required", fix: "\"type\"")
        assertIssue(issues("{\"description\": \"x\", \"create_table\": {\"columns\": [\(id)]}}"), field: "create_table.name", problem: "required", fix: "\"name\"")
        assertIssue(issues("{\"description\": \"x\", \"create_table\": {\"name\": \"t\"}}"), field: "create_table.columns", problem: "required", fix: "\"columns\"")
    }

    // MARK: - Validator errors, one per contract rule

    func testMissingDescription() {
        assertIssue(issues("{\"create_table\": {\"name\": \"t\", \"columns\": [\(id)]}}"), field: "description", problem: "missing", fix: "add invoices table")
        XCTAssertEqual(issues("{\"create_table\": {\"name\": \"t\", \"columns\": [\(id)]}}", description: "from the command line"), [])
    }

    func testInvalidIdentifier() {
        assertIssue(issues(table([id], table: "Invoices")), field: "create_table.name", problem: "not a valid table name", fix: "e.g. \"invoices\"")
        assertIssue(issues(table([id, "{\"name\": \"2fa\", \"type\": \"text\"}"])), field: "create_table.columns[1].name", fix: "\"_2fa\"")
        assertIssue(issues(table([id, "{\"name\": \"due-date\", \"type\": \"date\"}"])), field: "create_table.columns[1].name", fix: "\"due_date\"")
        assertIssue(issues(table([id, "{\"name\": \"\", \"type\": \"date\"}"])), field: "create_table.columns[1].name", problem: "empty", fix: "lowercase")
        assertIssue(issues(table([id, "{\"name\": \"sąskaita\", \"type\": \"text\"}"])), field: "create_table.columns[1].name", fix: "lowercase letters")
        let fk = "{\"name\": \"p\", \"type\": \"uuid\", \"foreign_key\": {\"table\": \"Projects\"}}"
        assertIssue(issues(table([id, fk])), field: "create_table.columns[1].foreign_key.table", fix: "lowercase")
    }

    func testReservedWord() {
        assertIssue(issues(table([id, "{\"name\": \"order\", \"type\": \"integer\"}"])), field: "create_table.columns[1].name", problem: "reserved", fix: "choose another")
    }

    func testNameOver63Bytes() {
        let long = String(repeating: "a", count: 64)
        assertIssue(issues(table([id], table: long)), field: "create_table.name", problem: "64 bytes", fix: "shorten")
        assertIssue(issues(table([id, "{\"name\": \"\(long)\", \"type\": \"text\"}"])), field: "create_table.columns[1].name", problem: "63-byte", fix: "shorten")
        let fits = String(repeating: "a", count: 63)
        XCTAssertEqual(issues(table(["{\"name\": \"\(fits)\", \"type\": \"uuid\", \"primary_key\": true}"])), [])
    }

    /// Table and column names that fit, but whose generated names do not.
    private let t30 = String(repeating: "t", count: 30)
    private let c30 = String(repeating: "c", count: 30)

    func testGeneratedCheckNameOver63Bytes() {
        // chk_ + 30 + _ + 30 = 65 bytes.
        let found = issues(table([id, "{\"name\": \"\(c30)\", \"type\": \"string\", \"enum\": [\"A\"]}"], table: t30))
        assertIssue(found, field: "create_table.columns[1].enum", problem: "chk_\(t30)_\(c30)", fix: "shorten the table or column name by 2")
    }

    func testGeneratedIndexNameOver63Bytes() {
        let found = issues(table([id, "{\"name\": \"\(c30)\", \"type\": \"text\", \"index\": true}"], table: t30))
        assertIssue(found, field: "create_table.columns[1].index", problem: "idx_\(t30)_\(c30)", fix: "shorten")
        // idx_t_ + 30 + _b_ + 30 = 69 bytes, though every column name fits.
        let d30 = String(repeating: "d", count: 30)
        let multi = issues(table(
            [id, "{\"name\": \"\(c30)\", \"type\": \"text\"}", "{\"name\": \"b\", \"type\": \"text\"}", "{\"name\": \"\(d30)\", \"type\": \"text\"}"],
            table: "t", extra: ", \"indexes\": [{\"columns\": [\"\(c30)\", \"b\", \"\(d30)\"]}]"))
        assertIssue(multi, field: "create_table.indexes[0].columns", problem: "idx_t_\(c30)_b_\(d30)", fix: "shorten the table or column name by 6")
    }

    func testGeneratedUniqueNameOver63Bytes() {
        // uniq_ + 29 + _ + 29 = 64 bytes.
        let t29 = String(t30.dropLast()), c29 = String(c30.dropLast())
        let found = issues(table([id, "{\"name\": \"\(c29)\", \"type\": \"text\", \"unique\": true}"], table: t29))
        assertIssue(found, field: "create_table.columns[1].unique", problem: "uniq_\(t29)_\(c29)", fix: "shorten the table or column name by 1")
    }

    func testGeneratedForeignKeyNameOver63Bytes() {
        // fk_ + 30 + _ + 30 = 64 bytes; the FK column's index idx_... is 65.
        let fk = "{\"name\": \"\(c30)\", \"type\": \"uuid\", \"foreign_key\": {\"table\": \"projects\"}}"
        let found = issues(table([id, fk], table: t30)).filter { $0.field == "create_table.columns[1].foreign_key" }
        XCTAssertTrue(found.contains { $0.problem.contains("foreign key name fk_\(t30)_\(c30)") && $0.fix.contains("shorten") }, "\(found)")
        XCTAssertTrue(found.contains { $0.problem.contains("index name idx_\(t30)_\(c30)") }, "\(found)")
    }

    func testGeneratedNameAtExactly63BytesIsFine() {
        // chk_ + 29 + _ + 29 = 63 bytes.
        let t29 = String(t30.dropLast()), c29 = String(c30.dropLast())
        XCTAssertEqual(issues(table([id, "{\"name\": \"\(c29)\", \"type\": \"string\", \"enum\": [\"A\"]}"], table: t29)), [])
    }

    func testDuplicateColumns() {
        let found = issues(table([id, "{\"name\": \"a\", \"type\": \"text\"}", "{\"name\": \"a\", \"type\": \"integer\"}"]))
        assertIssue(found, field: "create_table.columns[2].name", problem: "already column 2", fix: "rename or remove")
    }

    func testTimestampColumnsClash() {
        let found = issues(table([id, "{\"name\": \"created_at\", \"type\": \"datetime\"}"], extra: ", \"timestamps\": true"))
        assertIssue(found, field: "create_table.columns[1].name", fix: "\"timestamps\": false")
    }

    func testEmptyColumns() {
        assertIssue(issues(table([])), field: "create_table.columns", problem: "empty", fix: "add at least one column")
    }

    func testEmptyEnum() {
        let found = issues(table([id, "{\"name\": \"status\", \"type\": \"string\", \"enum\": []}"]))
        assertIssue(found, field: "create_table.columns[1].enum", problem: "empty", fix: "list the allowed values")
    }

    func testEmptyEnumValue() {
        let found = issues(table([id, "{\"name\": \"status\", \"type\": \"string\", \"enum\": [\"A\", \"\"]}"]))
        assertIssue(found, field: "create_table.columns[1].enum[1]", problem: "empty value", fix: "remove it")
    }

    func testDuplicateEnumValue() {
        let found = issues(table([id, "{\"name\": \"status\", \"type\": \"string\", \"enum\": [\"A\", \"B\", \"A\"]}"]))
        assertIssue(found, field: "create_table.columns[1].enum[2]", problem: "listed twice", fix: "list each value once")
    }

    func testEnumOnNonTextColumn() {
        let found = issues(table([id, "{\"name\": \"n\", \"type\": \"integer\", \"enum\": [\"1\"]}"]))
        assertIssue(found, field: "create_table.columns[1].enum", fix: "make the type string")
    }

    func testDefaultOutsideEnum() {
        let found = issues(table([id, "{\"name\": \"status\", \"type\": \"string\", \"enum\": [\"DRAFT\", \"SENT\"], \"default\": \"PAID\"}"]))
        assertIssue(found, field: "create_table.columns[1].default", problem: "not one of the enum values", fix: "use one of: DRAFT, SENT")
    }

    func testSetNullOnNotNull() {
        let fk = "{\"name\": \"p\", \"type\": \"uuid\", \"nullable\": false, \"foreign_key\": {\"table\": \"projects\", \"ondelete\": \"SET NULL\"}}"
        let found = issues(table([id, fk]))
        assertIssue(found, field: "create_table.columns[1].foreign_key.ondelete", problem: "SET NULL", fix: "make the column nullable")
        let nullable = "{\"name\": \"p\", \"type\": \"uuid\", \"foreign_key\": {\"table\": \"projects\", \"ondelete\": \"SET NULL\"}}"
        XCTAssertEqual(issues(table([id, nullable])), [])
    }

    func testBadPrecision() {
        let found = issues(table([id, "{\"name\": \"amount\", \"type\": \"numeric\", \"precision\": 0, \"scale\": 0}"]))
        assertIssue(found, field: "create_table.columns[1].precision", problem: "out of range", fix: "from 1 to 1000")
        assertIssue(issues(table([id, "{\"name\": \"amount\", \"type\": \"numeric\", \"precision\": 1001}"])), field: "create_table.columns[1].precision", fix: "1000")
    }

    func testBadScale() {
        let over = issues(table([id, "{\"name\": \"amount\", \"type\": \"numeric\", \"precision\": 4, \"scale\": 5}"]))
        assertIssue(over, field: "create_table.columns[1].scale", problem: "from 0 to the precision (4)", fix: "scale such as 2")
        let negative = issues(table([id, "{\"name\": \"amount\", \"type\": \"numeric\", \"precision\": 4, \"scale\": -1}"]))
        assertIssue(negative, field: "create_table.columns[1].scale", problem: "-1", fix: "scale")
    }

    func testScaleWithoutPrecision() {
        let found = issues(table([id, "{\"name\": \"amount\", \"type\": \"numeric\", \"scale\": 2}"]))
        assertIssue(found, field: "create_table.columns[1].scale", problem: "needs a precision", fix: "add \"precision\"")
    }

    func testPrecisionOnNonNumeric() {
        let found = issues(table([id, "{\"name\": \"amount\", \"type\": \"integer\", \"precision\": 2}"]))
        assertIssue(found, field: "create_table.columns[1].precision", problem: "only to type numeric", fix: "remove it")
    }

    func testBadLength() {
        assertIssue(issues(table([id, "{\"name\": \"a\", \"type\": \"string\", \"length\": 0}"])), field: "create_table.columns[1].length", problem: "out of range", fix: "from 1 to")
        assertIssue(issues(table([id, "{\"name\": \"a\", \"type\": \"string\", \"length\": -5}"])), field: "create_table.columns[1].length", fix: "type text")
        assertIssue(issues(table([id, "{\"name\": \"a\", \"type\": \"string\", \"length\": 10485761}"])), field: "create_table.columns[1].length", fix: "10485760")
        assertIssue(issues(table([id, "{\"name\": \"a\", \"type\": \"text\", \"length\": 10}"])), field: "create_table.columns[1].length", problem: "only to type string", fix: "remove \"length\"")
    }

    func testLengthTooSmallForLongestEnumValue() {
        let found = issues(table([id, "{\"name\": \"status\", \"type\": \"string\", \"length\": 4, \"enum\": [\"NEW\", \"ARCHIVED\"]}"]))
        assertIssue(found, field: "create_table.columns[1].length", problem: "ARCHIVED", fix: "at least 8")
        XCTAssertEqual(issues(table([id, "{\"name\": \"status\", \"type\": \"string\", \"length\": 8, \"enum\": [\"NEW\", \"ARCHIVED\"]}"])), [])
    }

    func testWrongDefaultType() {
        assertIssue(issues(table([id, "{\"name\": \"n\", \"type\": \"integer\", \"default\": \"0\"}"])), field: "create_table.columns[1].default", problem: "is a string", fix: "without quotes, e.g. 0")
        assertIssue(issues(table([id, "{\"name\": \"b\", \"type\": \"boolean\", \"default\": \"true\"}"])), field: "create_table.columns[1].default", fix: "e.g. true")
        assertIssue(issues(table([id, "{\"name\": \"s\", \"type\": \"text\", \"default\": true}"])), field: "create_table.columns[1].default", problem: "boolean", fix: "write it as a string")
        assertIssue(issues(table([id, "{\"name\": \"s\", \"type\": \"text\", \"default\": 3}"])), field: "create_table.columns[1].default", problem: "number", fix: "string in quotes")
        assertIssue(issues(table([id, "{\"name\": \"n\", \"type\": \"integer\", \"default\": 1.5}"])), field: "create_table.columns[1].default", problem: "not a whole number", fix: "numeric")
        assertIssue(issues(table([id, "{\"name\": \"n\", \"type\": \"text\", \"default\": {}}"])), field: "create_table.columns[1].default", problem: "object or array", fix: "jsonb")
        assertIssue(issues(table([id, "{\"name\": \"n\", \"type\": \"integer\", \"default\": \"now\"}"])), field: "create_table.columns[1].default", fix: "without quotes")
        assertIssue(issues(table([id, "{\"name\": \"n\", \"type\": \"smallint\", \"default\": 40000}"])), field: "create_table.columns[1].default", problem: "smallint", fix: "integer or bigint")
        assertIssue(issues(table([id, "{\"name\": \"d\", \"type\": \"date\", \"default\": \"2026-02-30\"}"])), field: "create_table.columns[1].default", problem: "not a date", fix: "YYYY-MM-DD")
        assertIssue(issues(table([id, "{\"name\": \"s\", \"type\": \"string\", \"length\": 2, \"default\": \"abc\"}"])), field: "create_table.columns[1].default", problem: "longer", fix: "raise \"length\"")
    }

    /// The contract's Defaults: expressions are never frozen into literals.
    func testDefaultsThatWouldFreezeAnExpression() {
        let path = "create_table.columns[1].default"
        for text in ["now()", "NOW()", "CURRENT_TIMESTAMP", "current_timestamp", "today", "clock_timestamp()", "LOCALTIMESTAMP"] {
            assertIssue(issues(table([id, "{\"name\": \"t\", \"type\": \"datetime\", \"default\": \"\(text)\"}"])), field: path, problem: "moment the migration ran", fix: "write \"now\"")
        }
        for text in ["CURRENT_DATE", "now()", "today", "tomorrow"] {
            assertIssue(issues(table([id, "{\"name\": \"d\", \"type\": \"date\", \"default\": \"\(text)\"}"])), field: path, fix: "CURRENT_DATE")
        }
        assertIssue(issues(table([id, "{\"name\": \"u\", \"type\": \"uuid\", \"default\": \"gen_random_uuid()\"}"])), field: path, problem: "SQL expression", fix: "{\"sql\": \"gen_random_uuid()\"}")
        assertIssue(issues(table([id, "{\"name\": \"s\", \"type\": \"text\", \"default\": \"lower('X')\"}"])), field: path, problem: "SQL expression", fix: "sql:lower('X')")
        assertIssue(issues(table([id, "{\"name\": \"u\", \"type\": \"uuid\", \"default\": \"not-a-uuid\"}"])), field: path, problem: "not a UUID", fix: "gen_random_uuid()")
        assertIssue(issues(table([id, "{\"name\": \"t\", \"type\": \"datetime\", \"default\": \"not a time at all\"}"])), field: path, problem: "not a timestamp", fix: "\"now\"")
        assertIssue(issues(table([id, "{\"name\": \"t\", \"type\": \"datetime\", \"default\": \"2026-02-30 10:00\"}"])), field: path, problem: "not a timestamp", fix: "YYYY-MM-DD")
    }

    func testSQLExpressionDefaults() {
        let good = [
            id,
            "{\"name\": \"u\", \"type\": \"uuid\", \"default\": {\"sql\": \"gen_random_uuid()\"}}",
            "{\"name\": \"s\", \"type\": \"text\", \"default\": {\"sql\": \"lower('ABC') || 'x'\"}}",
            "{\"name\": \"n\", \"type\": \"integer\", \"default\": {\"sql\": \"1 + 1\"}}",
            "{\"name\": \"t\", \"type\": \"datetime\", \"default\": {\"sql\": \"now() + interval '1 day'\"}}",
            "{\"name\": \"j\", \"type\": \"jsonb\", \"default\": {\"sql\": \"'{}'::jsonb\"}}",
            "{\"name\": \"t2\", \"type\": \"datetime\", \"default\": \"2026-01-31T09:00:00.123456Z\"}",
            "{\"name\": \"t3\", \"type\": \"datetime\", \"default\": \"infinity\"}",
            "{\"name\": \"u2\", \"type\": \"uuid\", \"default\": \"{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}\"}",
        ]
        XCTAssertEqual(issues(table(good)).map(\.description), [])
        let path = "create_table.columns[1].default.sql"
        func bad(_ expr: String, _ problem: String, line: UInt = #line) {
            let escaped = expr.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
            assertIssue(issues(table([id, "{\"name\": \"x\", \"type\": \"text\", \"default\": {\"sql\": \"\(escaped)\"}}"])), field: path, problem: problem, fix: "one SQL expression", line: line)
        }
        bad("1); DROP TABLE users; --", "not a single SQL expression")
        bad("'a' -- the rest of the line", "not an SQL expression PostgreSQL reads")
        bad("1, other text", "not a single SQL expression")
        bad("1 NOT NULL", "not a single SQL expression")
        bad("lower(", "not an SQL expression PostgreSQL reads")
        bad("email", "names a column")
        bad("(SELECT max(id) FROM users)", "subquery")
        bad("$1", "parameter")
        bad("", "empty")
        bad("1\n+ 1", "line break")
        // An object with other keys, or a non-string "sql", is not an expression.
        assertIssue(issues(table([id, "{\"name\": \"x\", \"type\": \"text\", \"default\": {\"sql\": 1}}"])), field: path, problem: "must be a string", fix: "double quotes")
    }

    func testGoodDefaults() {
        let columns = [
            id,
            "{\"name\": \"n\", \"type\": \"integer\", \"default\": 0}",
            "{\"name\": \"f\", \"type\": \"float\", \"default\": 1.5}",
            "{\"name\": \"m\", \"type\": \"numeric\", \"precision\": 5, \"scale\": 2, \"default\": 2}",
            "{\"name\": \"b\", \"type\": \"boolean\", \"default\": false}",
            "{\"name\": \"j\", \"type\": \"json\", \"default\": [1, \"a\"]}",
            "{\"name\": \"d\", \"type\": \"date\", \"default\": \"now\"}",
            "{\"name\": \"dd\", \"type\": \"date\", \"default\": \"2024-02-29\"}",
            "{\"name\": \"t\", \"type\": \"datetime\", \"default\": \"now\"}",
            "{\"name\": \"s\", \"type\": \"text\", \"default\": \"now\"}",
        ]
        XCTAssertEqual(issues(table(columns)), [])
    }

    func testPrimaryKeyRules() {
        assertIssue(issues(table(["{\"name\": \"id\", \"type\": \"uuid\", \"primary_key\": true, \"nullable\": true}"])), field: "create_table.columns[0].nullable", fix: "remove \"nullable\": true")
        assertIssue(issues(table(["{\"name\": \"id\", \"type\": \"uuid\", \"primary_key\": true, \"unique\": true}"])), field: "create_table.columns[0].unique", fix: "remove \"unique\"")
    }

    func testIndexesReferToColumns() {
        let found = issues(table([id], extra: ", \"indexes\": [{\"columns\": [\"nope\"]}, {\"columns\": []}, {\"columns\": [\"id\", \"id\"]}]"))
        assertIssue(found, field: "create_table.indexes[0].columns[0]", problem: "not a column", fix: "use one of: id")
        assertIssue(found, field: "create_table.indexes[1].columns", problem: "empty", fix: "list the columns")
        XCTAssertTrue(found.contains { $0.field == "create_table.indexes[2].columns" && $0.problem.contains("twice") }, "\(found)")
        let repeated = issues(table([id, "{\"name\": \"a\", \"type\": \"text\", \"index\": true}"], extra: ", \"indexes\": [{\"columns\": [\"a\"]}]"))
        assertIssue(repeated, field: "create_table.indexes[0]", problem: "repeats the index idx_invoices_a", fix: "remove it")
    }

    func testIssuesAreAllReportedAtOnce() {
        let found = issues(table([
            "{\"name\": \"Id\", \"type\": \"uuid\", \"primary_key\": true}",
            "{\"name\": \"status\", \"type\": \"string\", \"enum\": [], \"length\": 0}",
        ], table: "Bad Table"))
        XCTAssertEqual(Set(found.map(\.field)), ["create_table.name", "create_table.columns[0].name", "create_table.columns[1].enum", "create_table.columns[1].length"])
    }

    func testErrorExitCodeIsOne() {
        do {
            _ = try SpecReader.read(json: Data("{".utf8))
            XCTFail()
        } catch {
            XCTAssertEqual(error.exitCode, 1)
            XCTAssertTrue(error.message.hasPrefix("error: spec: "), error.message)
        }
    }

    // MARK: - Round trips

    func testInvoicesSpecRoundTripsThroughJSON() throws {
        let spec = TestSupport.invoicesSpec()
        let again = try SpecReader.read(json: Data(spec.jsonText.utf8))
        XCTAssertEqual(again, spec)
        XCTAssertEqual(again.jsonValue, spec.jsonValue)
    }

    func testRichSpecRoundTripsThroughJSON() throws {
        let table = CreateTable(
            name: "payments", timestamps: true,
            columns: [
                Column(name: "id", type: .integer, primaryKey: true),
                Column(name: "project_id", type: .uuid, nullable: false, foreignKey: ForeignKey(table: "projects", onDelete: .restrict)),
                Column(name: "note", type: .text, defaultValue: .string("it's \"fine\" \\ ok")),
                Column(name: "ratio", type: .float, defaultValue: .decimal(Decimal(string: "0.25")!)),
                Column(name: "count", type: .bigint, nullable: true, defaultValue: .int(-3)),
                Column(name: "flag", type: .boolean, defaultValue: .bool(true)),
                Column(name: "at", type: .datetime, index: true, defaultValue: .now),
                Column(name: "kind", type: .string, length: 12, unique: true, enumValues: ["A'B", "C\"D"], defaultValue: .string("A'B")),
                Column(name: "meta", type: .jsonb, defaultValue: .json(.object(["a": .array([.int(1), .null, .string("x")])]))),
                Column(name: "amount", type: .numeric, precision: 10, scale: 3),
            ],
            indexes: [Index(columns: ["kind", "at"], unique: true)])
        let spec = MigrationSpec(description: "add payments", details: "line one\n\tline two", operations: [.createTable(table)])
        XCTAssertEqual(SpecValidator.issues(in: spec), [])
        let again = try SpecReader.read(json: Data(spec.jsonText.utf8))
        XCTAssertEqual(again, spec)
    }

    func testMultiOperationSpecRoundTripsThroughJSON() throws {
        let a = CreateTable(name: "a", columns: [Column(name: "id", type: .uuid, primaryKey: true)])
        let b = CreateTable(name: "b", columns: [Column(name: "id", type: .smallint, primaryKey: true)])
        let spec = MigrationSpec(description: "two", operations: [.createTable(a), .createTable(b)])
        guard case .object(let o) = spec.jsonValue else { return XCTFail() }
        XCTAssertNotNil(o["operations"])
        XCTAssertNil(o["create_table"])
        XCTAssertEqual(try SpecReader.read(json: Data(spec.jsonText.utf8)), spec)
    }

    func testEmptySpecRoundTripsThroughJSON() throws {
        let spec = MigrationSpec(description: "empty migration")
        XCTAssertEqual(try SpecReader.read(json: Data(spec.jsonText.utf8)), spec)
    }
}
