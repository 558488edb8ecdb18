import XCTest
@testable import VejaMigrateCore

/// The one-line column syntax (docs/column-line.md): what each part reads as, the round trip
/// line → column → line, and errors as values pointing at the offending part.
final class ColumnLineTests: XCTestCase {
    private func line(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ColumnLine {
        switch ColumnLine.parse(text) {
        case .success(let l): return l
        case .failure(let e):
            XCTFail("\(text): \(e)", file: file, line: line)
            return ColumnLine(name: "")
        }
    }

    private func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ColumnLineError? {
        if case .failure(let e) = ColumnLine.parse(text) { return e }
        XCTFail("\(text) was read", file: file, line: line)
        return nil
    }

    func testTheIssuesExamplesRead() {
        let fk = line("project_id:uuid!:fk=projects.id:cascade")
        XCTAssertEqual(fk.name, "project_id")
        XCTAssertEqual(fk.type, .uuid)
        XCTAssertEqual(fk.nullable, false)
        XCTAssertEqual(fk.referencesTable, "projects")
        XCTAssertEqual(fk.referencesColumn, "id")
        XCTAssertEqual(fk.onDelete, .cascade)

        let status = line("status:string(32)!=DRAFT:enum(DRAFT,SENT,PAID,VOID):index")
        XCTAssertEqual(status.type, .string)
        XCTAssertEqual(status.length, 32)
        XCTAssertEqual(status.nullable, false)
        XCTAssertEqual(status.defaultText, "DRAFT")
        XCTAssertEqual(status.enumValues, ["DRAFT", "SENT", "PAID", "VOID"])
        XCTAssertTrue(status.index)
        XCTAssertFalse(status.unique)

        let amount = line("amount:numeric(12,2)!")
        XCTAssertEqual(amount.type, .numeric)
        XCTAssertEqual(amount.precision, 12)
        XCTAssertEqual(amount.scale, 2)

        let number = line("number:string(64):unique")
        XCTAssertEqual(number.length, 64)
        XCTAssertTrue(number.unique)
        XCTAssertNil(number.nullable)
    }

    func testWhatIsLeftOutStaysNil() {
        let bare = line("project_id")
        XCTAssertEqual(bare, ColumnLine(name: "project_id"))
        let marked = line("amount!")
        XCTAssertNil(marked.type)
        XCTAssertEqual(marked.nullable, false)
        XCTAssertEqual(line("note?").nullable, true)
        XCTAssertEqual(line("issued_at:i").index, true, "i is short for index")
        XCTAssertEqual(line("code:u").unique, true, "u is short for unique")
        XCTAssertEqual(line("owner_id:fk=users:set-null").referencesColumn, nil)
        XCTAssertEqual(line("owner_id:fk=users:setnull").onDelete, .setNull)
    }

    func testRoundTripLineColumnLine() {
        let canonical = [
            "project_id:uuid!:fk=projects.id:cascade",
            "status:string(32)!=DRAFT:enum(DRAFT,SENT,PAID,VOID):index",
            "amount:numeric(12,2)!",
            "number:string(64):unique",
            "id:uuid:pk",
            "ratio:numeric(5)",
            "payload:jsonb!={}",
            "note:text?='it''s: here'",
            "created:datetime!=now",
            "token:uuid='sql:gen_random_uuid()'",
            "label:string:enum('a,b','c d',e)",
            "owner_id:fk=users:restrict",
            "amount",
        ]
        for text in canonical {
            XCTAssertEqual(line(text).text, text, "line → column → line")
        }
        // Column → line → column, for every field set.
        var c = ColumnLine(name: "x")
        c.type = .string; c.length = 8; c.nullable = false; c.defaultText = "a:b"; c.primaryKey = true
        c.referencesTable = "t"; c.referencesColumn = "k"; c.onDelete = .setDefault; c.enumValues = ["a:b", "c"]
        c.unique = true; c.index = true
        XCTAssertEqual(line(c.text), c)
    }

    /// The trial's `status:enum(DRAFT,SENT,PAID,VOID)=DRAFT`: a default after an option reads as the
    /// default, and prints in the canonical place (right after the name or type).
    func testADefaultAfterAnOptionReads() {
        let status = line("status:enum(DRAFT,SENT,PAID,VOID)=DRAFT")
        XCTAssertEqual(status.defaultText, "DRAFT")
        XCTAssertEqual(status.enumValues, ["DRAFT", "SENT", "PAID", "VOID"])
        XCTAssertEqual(status.text, "status=DRAFT:enum(DRAFT,SENT,PAID,VOID)")
        XCTAssertEqual(line(status.text), status, "the canonical form reads back the same")
        XCTAssertEqual(line("code:string(8):unique='a:b':index").defaultText, "a:b")
        XCTAssertEqual(line("n:uuid:pk=x").text, "n:uuid=x:pk")
        XCTAssertEqual(error("status=A:enum(A,B)=B"), ColumnLineError(.repeated("="), offset: 18, length: 1))
        XCTAssertEqual(error("status:enum(A,B)="), ColumnLineError(.missingValue(option: "="), offset: 16, length: 1))
        // fk= already takes its target after `=`: a second one there belongs to no part.
        XCTAssertEqual(error("owner_id:fk=users=x"), ColumnLineError(.unexpected("=x"), offset: 17, length: 2))
    }

    func testShortFormsPrintLong() {
        XCTAssertEqual(line("code:u:i").text, "code:unique:index")
        XCTAssertEqual(line("owner_id:fk=users:setnull").text, "owner_id:fk=users:set-null")
        XCTAssertEqual(line("status:enum( A , B )").text, "status:enum(A,B)")
        XCTAssertEqual(line("number:str(64):u").text, "number:string(64):unique")
        XCTAssertEqual(line("n:int!").text, "n:integer!")
        XCTAssertEqual(line("n:num(12,2)").text, "n:numeric(12,2)")
        XCTAssertEqual(line("n:bool=false").text, "n:boolean=false")
    }

    func testErrorsPointAtTheirPart() {
        XCTAssertEqual(error(":uuid"), ColumnLineError(.missingName, offset: 0, length: 1))
        XCTAssertEqual(error(""), ColumnLineError(.missingName, offset: 0, length: 0))
        XCTAssertEqual(error("amount:numric(12,2)"), ColumnLineError(.unknownType("numric", close: ["numeric"]), offset: 7, length: 6))
        XCTAssertEqual(error("n:string(abc)"), ColumnLineError(.badParameters(type: .string, text: "(abc)"), offset: 8, length: 5))
        XCTAssertEqual(error("n:uuid(4)"), ColumnLineError(.badParameters(type: .uuid, text: "(4)"), offset: 6, length: 3))
        XCTAssertEqual(error("n:uuid:uniq:x"), ColumnLineError(.unknownOption("uniq", close: ["unique"]), offset: 7, length: 4))
        XCTAssertEqual(error("n:uuid:fk="), ColumnLineError(.missingValue(option: "fk"), offset: 10, length: 0))
        XCTAssertEqual(error("n:string:enum(A,B"), ColumnLineError(.unclosed("("), offset: 13, length: 4))
        XCTAssertEqual(error("n:text='abc"), ColumnLineError(.unclosed("'"), offset: 7, length: 4))
        XCTAssertEqual(error("n:uuid:unique:u"), ColumnLineError(.repeated("unique"), offset: 14, length: 1))
        XCTAssertEqual(error("n:uuid:cascade"), ColumnLineError(.onDeleteWithoutForeignKey("cascade"), offset: 7, length: 7))
        XCTAssertEqual(error("n!x"), ColumnLineError(.unexpected("x"), offset: 2, length: 1))
        XCTAssertEqual(error("n:string:enum()"), ColumnLineError(.missingValue(option: "enum"), offset: 9, length: 6))
    }
}
