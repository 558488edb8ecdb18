import XCTest

@testable import VejaMigrateCore

final class HeaderSpansTests: XCTestCase {
    private func spans(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> (bytes: [UInt8], header: MigrationHeader, spans: MigrationHeaderSpans) {
        let bytes = Array(source.utf8)
        let (header, spans) = try MigrationHeaderReader.readWithSpans(bytes: bytes)
        return (bytes, header, spans)
    }

    private func text(_ bytes: [UInt8], _ span: Range<Int>?) -> String? {
        span.map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    func testSeedTemplate() throws {
        let source = MigrationRenderer.python(
            header: MigrationHeaderFields(description: "add tags", revision: "20260212_000018", downRevisions: ["20260211_000017"], date: MigrationDate("2026-02-12")!),
            operations: [])
        let (bytes, header, s) = try spans(source)
        XCTAssertEqual(header, try MigrationHeaderReader.read(bytes: bytes), "the same header as the plain read")
        XCTAssertEqual(text(bytes, s.revision), "\"20260212_000018\"")
        XCTAssertEqual(text(bytes, s.downRevision), "\"20260211_000017\"")
        XCTAssertEqual(text(bytes, s.docRevisionID), "20260212_000018")
        XCTAssertEqual(text(bytes, s.docRevises), "20260211_000017")
        XCTAssertEqual(text(bytes, s.docCreateDate), "2026-02-12")
    }

    func testAlembicTemplateWithAnnotationsSingleQuotesAndATime() throws {
        let source = """
            \"\"\"add tags

            Revision ID: 3f2a1b9c0d4e
            Revises: 1a2b3c4d5e6f, 9f8e7d6c5b4a
            Create Date: 2026-02-12 10:20:30.123456

            \"\"\"
            from typing import Sequence, Union

            revision: str = '3f2a1b9c0d4e'
            down_revision: Union[str, Sequence[str], None] = ('1a2b3c4d5e6f',
                                                              '9f8e7d6c5b4a')  # a merge
            branch_labels: Union[str, Sequence[str], None] = None

            """
        let (bytes, header, s) = try spans(source)
        XCTAssertEqual(header.downRevisions, ["1a2b3c4d5e6f", "9f8e7d6c5b4a"])
        XCTAssertEqual(text(bytes, s.revision), "'3f2a1b9c0d4e'")
        let down = try XCTUnwrap(text(bytes, s.downRevision))
        XCTAssertTrue(down.hasPrefix("('1a2b3c4d5e6f',\n") && down.hasSuffix("'9f8e7d6c5b4a')"), down)
        XCTAssertEqual(text(bytes, s.docRevises), "1a2b3c4d5e6f, 9f8e7d6c5b4a")
        XCTAssertEqual(text(bytes, s.docCreateDate), "2026-02-12 10:20:30.123456")
    }

    func testEmptyFieldsAndLookAlikesInTheExtendedDescription() throws {
        let source = "\"\"\"first\n\nRevision ID: r1\nRevises:\nCreate Date: 2026-01-01\n\nRevises: not this one\n\"\"\"\nrevision = \"r1\"\ndown_revision = None\n"
        let (bytes, _, s) = try spans(source)
        let revises = try XCTUnwrap(s.docRevises)
        XCTAssertTrue(revises.isEmpty)
        XCTAssertEqual(String(decoding: bytes[..<revises.lowerBound].suffix(8), as: UTF8.self), "Revises:")
        XCTAssertEqual(text(bytes, s.downRevision), "None")
    }

    func testByteOrderMarkAndCRLF() throws {
        let source = "\u{FEFF}\"\"\"x\r\n\r\nRevision ID: r2\r\nRevises: r1\r\n\"\"\"\r\nrevision = \"r2\"\r\ndown_revision = \"r1\"\r\n"
        let (bytes, _, s) = try spans(source)
        XCTAssertEqual(text(bytes, s.revision), "\"r2\"")
        XCTAssertEqual(text(bytes, s.downRevision), "\"r1\"")
        XCTAssertEqual(text(bytes, s.docRevisionID), "r2")
        XCTAssertEqual(text(bytes, s.docRevises), "r1")
        XCTAssertNil(s.docCreateDate)
    }

    func testNothingInsideFunctionsOrLaterStringsCounts() throws {
        let source = """
            \"\"\"x\"\"\"
            revision = "r2"
            down_revision = "r1"


            def upgrade() -> None:
                revision = "inner"
                op.execute(\"\"\"
            Revision ID: nope
            \"\"\")

            """
        let (bytes, _, s) = try spans(source)
        XCTAssertEqual(text(bytes, s.revision), "\"r2\"")
        XCTAssertNil(s.docRevisionID)
    }
}
