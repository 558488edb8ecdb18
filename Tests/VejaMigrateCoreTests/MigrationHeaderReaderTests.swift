import XCTest

@testable import VejaMigrateCore

final class MigrationHeaderReaderTests: XCTestCase {
    // MARK: - The forms real projects use

    func testSeedTemplateHeader() {
        let source = """
            \"\"\"add invoices table

            Revision ID: 20260212_000018
            Revises: 20260211_000017
            Create Date: 2026-02-12

            Extended description.
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
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.revision, "20260212_000018")
        XCTAssertEqual(h.downRevisions, ["20260211_000017"])
        XCTAssertTrue(h.declaresDownRevision)
        XCTAssertEqual(h.docDescription, "add invoices table")
        XCTAssertEqual(h.docRevisionID, "20260212_000018")
        XCTAssertEqual(h.docRevises, ["20260211_000017"])
        XCTAssertEqual(h.docCreateDate, "2026-02-12")
    }

    func testSingleQuotes() {
        guard let h = TestSupport.header("revision = 'abc123'\ndown_revision = 'def456'\n") else { return }
        XCTAssertEqual(h.revision, "abc123")
        XCTAssertEqual(h.downRevisions, ["def456"])
    }

    func testAnnotatedAssignmentsAsAlembicWritesThem() {
        let source = """
            \"\"\"create users

            Revision ID: 1a2b3c4d5e6f
            Revises:
            Create Date: 2024-05-01 10:11:12.123456

            \"\"\"
            from typing import Sequence, Union

            from alembic import op
            import sqlalchemy as sa


            # revision identifiers, used by Alembic.
            revision: str = '1a2b3c4d5e6f'
            down_revision: Union[str, Sequence[str], None] = None
            branch_labels: Union[str, Sequence[str], None] = None
            depends_on: Union[str, Sequence[str], None] = None
            """
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.revision, "1a2b3c4d5e6f")
        XCTAssertEqual(h.downRevisions, [])
        XCTAssertTrue(h.declaresDownRevision)
        XCTAssertEqual(h.docDescription, "create users")
        XCTAssertEqual(h.docRevisionID, "1a2b3c4d5e6f")
        XCTAssertEqual(h.docRevises, [])
        XCTAssertEqual(h.docCreateDate, "2024-05-01 10:11:12.123456")
    }

    func testAnnotatedStringDownRevision() {
        guard let h = TestSupport.header("revision: str = \"b\"\ndown_revision: Union[str, None] = \"a\"\n") else { return }
        XCTAssertEqual(h.revision, "b")
        XCTAssertEqual(h.downRevisions, ["a"])
    }

    func testCreateDateWithoutTime() {
        guard let h = TestSupport.header("\"\"\"x\n\nCreate Date: 2026-02-12\n\"\"\"\nrevision = \"r\"\n") else { return }
        XCTAssertEqual(h.docCreateDate, "2026-02-12")
    }

    func testTupleMerge() {
        guard let h = TestSupport.header("revision = \"m\"\ndown_revision = (\"a\", \"b\")\n") else { return }
        XCTAssertEqual(h.downRevisions, ["a", "b"])
    }

    func testListMerge() {
        guard let h = TestSupport.header("revision = \"m\"\ndown_revision = ['a', 'b', 'c']\n") else { return }
        XCTAssertEqual(h.downRevisions, ["a", "b", "c"])
    }

    func testMergeSpreadAcrossLinesWithTrailingComma() {
        let source = """
            \"\"\"merge heads

            Revision ID: m1
            Revises: a1, b2
            Create Date: 2024-01-02 03:04:05

            \"\"\"
            revision = "m1"
            down_revision = (
                "a1",  # the main line
                "b2",
            )
            branch_labels = None
            """
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.revision, "m1")
        XCTAssertEqual(h.downRevisions, ["a1", "b2"])
        XCTAssertEqual(h.docRevises, ["a1", "b2"])
    }

    func testAnnotatedMergeListSpreadAcrossLines() {
        let source = """
            revision: str = "m"
            down_revision: Union[str, Sequence[str], None] = [
                'x',
                'y'
            ]
            """
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.downRevisions, ["x", "y"])
    }

    func testSingleElementTupleAndParenthesizedString() {
        guard let h = TestSupport.header("revision = (\"r\")\ndown_revision = (\"p\",)\n") else { return }
        XCTAssertEqual(h.revision, "r")
        XCTAssertEqual(h.downRevisions, ["p"])
    }

    func testAdjacentStringConcatenation() {
        guard let h = TestSupport.header("revision = \"2026\" '0212_' \"000018\"\ndown_revision = (\n    \"20260211\"\n    \"_000017\"\n)\n")
        else { return }
        XCTAssertEqual(h.revision, "20260212_000018")
        XCTAssertEqual(h.downRevisions, ["20260211_000017"])
    }

    func testBackslashContinuation() {
        guard let h = TestSupport.header("revision = \\\n    \"r\"\ndown_revision = None\n") else { return }
        XCTAssertEqual(h.revision, "r")
        XCTAssertEqual(h.downRevisions, [])
    }

    func testSingleQuotedDocstringAndCommentsBeforeIt() {
        let source = "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n'''fix things\n\nRevision ID: r\n'''\nrevision = 'r'\n"
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.docDescription, "fix things")
        XCTAssertEqual(h.docRevisionID, "r")
    }

    func testNoDownRevisionDeclared() {
        guard let h = TestSupport.header("revision = \"r\"\n") else { return }
        XCTAssertFalse(h.declaresDownRevision)
        XCTAssertEqual(h.downRevisions, [])
    }

    func testDocstringNotFirstIsNotTheDocstring() {
        guard let h = TestSupport.header("import os\n\"\"\"not a docstring\n\nRevision ID: zzz\n\"\"\"\nrevision = \"r\"\n") else { return }
        XCTAssertNil(h.docDescription)
        XCTAssertNil(h.docRevisionID)
    }

    func testCRLFLineEndings() {
        let source = "\"\"\"add things\r\n\r\nRevision ID: r2\r\nRevises: r1\r\nCreate Date: 2026-01-01\r\n\r\n\"\"\"\r\n\r\nrevision = \"r2\"\r\ndown_revision = (\r\n    \"r1\",\r\n)\r\n"
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.revision, "r2")
        XCTAssertEqual(h.downRevisions, ["r1"])
        XCTAssertEqual(h.docDescription, "add things")
        XCTAssertEqual(h.docRevisionID, "r2")
        XCTAssertEqual(h.docRevises, ["r1"])
        XCTAssertEqual(h.docCreateDate, "2026-01-01")
    }

    func testUTF8ByteOrderMark() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("\"\"\"bom\n\nRevision ID: r\n\"\"\"\nrevision = \"r\"\ndown_revision = None\n".utf8)
        do {
            let h = try MigrationHeaderReader.read(bytes: bytes)
            XCTAssertEqual(h.revision, "r")
            XCTAssertEqual(h.docDescription, "bom")
            XCTAssertEqual(h.docRevisionID, "r")
        } catch {
            XCTFail("a UTF-8 BOM (valid for Python) made the header unreadable: \(error)")
        }
    }

    func testNonASCIIDocstring() {
        guard let h = TestSupport.header("\"\"\"Pridėti sąskaitų lentelę\n\nRevision ID: r\n\"\"\"\nrevision = \"r\"\n") else { return }
        XCTAssertEqual(h.docDescription, "Pridėti sąskaitų lentelę")
    }

    func testEscapesInsideStrings() {
        guard let h = TestSupport.header("revision = \"a\\\"b\"\ndown_revision = 'c\\'d'\n") else { return }
        XCTAssertEqual(h.revision, "a\"b")
        XCTAssertEqual(h.downRevisions, ["c'd"])
    }

    // MARK: - Hostile look-alikes

    func testRevisionInsideFunctionBodyIsIgnored() {
        let source = """
            revision = "real"
            down_revision = "parent"


            def upgrade() -> None:
                revision = "fake"
                down_revision = "fake_parent"
            """
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.revision, "real")
        XCTAssertEqual(h.downRevisions, ["parent"])
    }

    func testRevisionInsideFunctionBodyBeforeHeaderIsIgnored() {
        let source = """
            def helper():
                revision = "fake"
                down_revision = "fake_parent"
                return revision


            revision = "real"
            down_revision = None
            """
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.revision, "real")
        XCTAssertEqual(h.downRevisions, [])
    }

    func testRevisionInsideTripleQuotedSQLAtColumnZeroIsIgnored() {
        let source = """
            SQL = \"\"\"
            revision = "fake"
            down_revision = "fake_parent"
            \"\"\"

            revision = "real"
            down_revision = "parent"


            def upgrade() -> None:
                op.execute(\"\"\"
            revision = "fake2"
            down_revision = 'x'
            \"\"\")
            """
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.revision, "real")
        XCTAssertEqual(h.downRevisions, ["parent"])
    }

    func testRevisionInOpExecuteAtColumnZeroBeforeHeader() {
        let source = """
            op.execute(\"\"\"
            revision = "fake"
            \"\"\")
            op.execute('''
            down_revision = "fake"
            ''')
            revision = "real"
            down_revision = None
            """
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.revision, "real")
        XCTAssertEqual(h.downRevisions, [])
    }

    func testRevisionInsideCommentIsIgnored() {
        let source = "# revision = \"fake\"\nrevision = \"real\"  # revision = \"fake2\"\n#down_revision = \"x\"\ndown_revision = None\n"
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.revision, "real")
        XCTAssertEqual(h.downRevisions, [])
    }

    func testComparisonIsNotAnAssignment() {
        let source = "revision == \"fake\"\nrevision = \"real\"\ndown_revision == \"fake\"\ndown_revision = \"p\"\n"
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.revision, "real")
        XCTAssertEqual(h.downRevisions, ["p"])
    }

    func testLookAlikeNamesAreIgnored() {
        let source = """
            my_revision = "fake"
            revision_id = "fake"
            revisions = ["fake"]
            self.revision = "fake"
            if True:
                revision = "fake"
            x = {"revision": "fake"}
            revision = "real"
            down_revision = None
            """
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.revision, "real")
    }

    func testRevisionInsideDocstringIsIgnored() {
        let source = "\"\"\"doc\nrevision = \"fake\"\n\"\"\"\nrevision = \"real\"\n"
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.revision, "real")
    }

    func testRevisionInsideClassBodyIsIgnored() {
        let source = "class Old:\n    revision = \"fake\"\n\nrevision = \"real\"\ndown_revision = None\n"
        guard let h = TestSupport.header(source) else { return }
        XCTAssertEqual(h.revision, "real")
    }

    func testPrefixedStrings() {
        guard let h = TestSupport.header("revision = r\"a\\b\"\ndown_revision = u'p'\n") else { return }
        XCTAssertEqual(h.revision, "a\\b")
        XCTAssertEqual(h.downRevisions, ["p"])
    }

    // MARK: - Errors

    func testNotUTF8() {
        let bytes: [UInt8] = Array("revision = \"".utf8) + [0xFF, 0xFE] + Array("\"\n".utf8)
        XCTAssertEqual(TestSupport.headerError(bytes), .notUTF8)
    }

    func testUnterminatedString() {
        XCTAssertEqual(TestSupport.headerError(Array("\"\"\"doc\n\nrevision = \"abc\ndown_revision = None\n".utf8)), .unterminatedString(line: 1))
        XCTAssertEqual(TestSupport.headerError(Array("down_revision = None\nrevision = \"abc\n".utf8)), .unterminatedString(line: 2))
        XCTAssertEqual(TestSupport.headerError(Array("revision = \"abc".utf8)), .unterminatedString(line: 1))
    }

    func testNoRevision() {
        XCTAssertEqual(TestSupport.headerError(Array("\"\"\"doc\"\"\"\ndown_revision = None\n".utf8)), .noRevision)
        XCTAssertEqual(TestSupport.headerError([]), .noRevision)
        XCTAssertEqual(TestSupport.headerError(Array("def upgrade():\n    revision = \"fake\"\n".utf8)), .noRevision)
    }

    func testUnsupportedValue() {
        XCTAssertEqual(TestSupport.headerError(Array("revision = make_revision()\n".utf8)), .unsupportedValue(name: "revision", line: 1))
        XCTAssertEqual(
            TestSupport.headerError(Array("revision = \"r\"\ndown_revision = os.environ[\"X\"]\n".utf8)),
            .unsupportedValue(name: "down_revision", line: 2))
        XCTAssertEqual(TestSupport.headerError(Array("revision = (\"a\", \"b\")\n".utf8)), .unsupportedValue(name: "revision", line: 1))
        XCTAssertEqual(TestSupport.headerError(Array("revision = None\n".utf8)), .unsupportedValue(name: "revision", line: 1))
        XCTAssertEqual(TestSupport.headerError(Array("revision = 42\n".utf8)), .unsupportedValue(name: "revision", line: 1))
    }

    func testErrorMessagesAreReadable() {
        XCTAssertTrue(HeaderReadError.unsupportedValue(name: "revision", line: 3).message.contains("line 3"))
        XCTAssertTrue(HeaderReadError.unterminatedString(line: 7).message.contains("line 7"))
        XCTAssertFalse(HeaderReadError.notUTF8.message.isEmpty)
        XCTAssertFalse(HeaderReadError.noRevision.message.isEmpty)
    }
}
