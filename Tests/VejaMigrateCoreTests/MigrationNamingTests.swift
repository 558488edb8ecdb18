import XCTest

@testable import VejaMigrateCore

final class MigrationNamingTests: XCTestCase {
    private func slug(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        do {
            return try MigrationNaming.slug(text)
        } catch {
            XCTFail("slug(\(text)) threw \(error)", file: file, line: line)
            return nil
        }
    }

    // MARK: - Slug

    func testLithuanianDiacriticsFold() {
        XCTAssertEqual(slug("Pridėti sąskaitų lentelę"), "prideti_saskaitu_lentele")
    }

    func testLettersThatDoNotDecomposeFold() {
        XCTAssertEqual(slug("Łódź"), "lodz")
        XCTAssertEqual(slug("Straße"), "strasse")
        XCTAssertEqual(slug("Søren Ærø"), "soren_aero")
        XCTAssertEqual(slug("œuvre Þing đak"), "oeuvre_thing_dak")
        XCTAssertEqual(slug("Crème brûlée à la café"), "creme_brulee_a_la_cafe")
    }

    func testPlainDescription() {
        XCTAssertEqual(slug("add invoices table"), "add_invoices_table")
        XCTAssertEqual(slug("Add Invoices Table"), "add_invoices_table")
        XCTAssertEqual(slug("v2 of table 3"), "v2_of_table_3")
    }

    func testPunctuationCollapses() {
        XCTAssertEqual(slug("  add -- invoices,  (table)!!  "), "add_invoices_table")
        XCTAssertEqual(slug("add_invoices__table"), "add_invoices_table")
        XCTAssertEqual(slug("user's e-mail / phone"), "user_s_e_mail_phone")
        XCTAssertEqual(slug("tab\tand\nnewline"), "tab_and_newline")
    }

    func testLongDescriptionIsCutAtAWordBoundary() {
        let text = "add a very long description that keeps going and going well past the limit of sixty characters"
        guard let s = slug(text) else { return }
        XCTAssertLessThanOrEqual(s.count, MigrationNaming.maxSlugLength)
        XCTAssertEqual(s, "add_a_very_long_description_that_keeps_going_and_going_well")
        XCTAssertFalse(s.hasSuffix("_"))
        let full = "add_a_very_long_description_that_keeps_going_and_going_well_past_the_limit_of_sixty_characters"
        XCTAssertTrue(full.hasPrefix(s + "_"), "the cut falls between words")
    }

    func testLimitFallingBetweenWordsKeepsTheLastWhole() {
        let text = String(repeating: "abcde ", count: 9) + "abcdef more"
        XCTAssertEqual(slug(text), String(repeating: "abcde_", count: 9) + "abcdef")
    }

    func testLongSingleWordIsCutHard() {
        let word = String(repeating: "abcdefghij", count: 10)
        XCTAssertEqual(slug(word), String(word.prefix(60)))
    }

    func testSlugOfExactlySixtyIsKept() {
        let text = String(repeating: "abcde_", count: 9) + "abcdef"  // 60 characters
        XCTAssertEqual(text.count, 60)
        XCTAssertEqual(slug(text), text)
    }

    func testPathsNeverSurvive() {
        guard let s = slug("../../etc/passwd") else { return }
        XCTAssertEqual(s, "etc_passwd")
        XCTAssertFalse(s.contains("/"))
        XCTAssertFalse(s.contains("."))
        XCTAssertEqual(slug("C:\\Windows\\system32"), "c_windows_system32")
    }

    func testNoLettersThrowsInvalidInputNamingDescription() {
        for text in ["!!!", "日本語", "", "   ", "---", "😀🎉"] {
            do {
                let s = try MigrationNaming.slug(text)
                XCTFail("\"\(text)\" gave slug \(s)")
            } catch {
                guard case .invalidInput(let issues) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(issues.map(\.field), ["description"])
                XCTAssertFalse(issues[0].fix.isEmpty)
                XCTAssertEqual(error.exitCode, 1)
            }
        }
    }

    func testMixedScriptKeepsTheASCIIPart() {
        XCTAssertEqual(slug("add 日本語 table"), "add_table")
    }

    func testSlugIsAlwaysSafe() {
        for text in ["Pridėti sąskaitų lentelę", "../../etc/passwd", "a\u{0}b", "x y z", "ŻÓŁĆ gęślą jaźń", "İstanbul"] {
            guard let s = slug(text) else { continue }
            XCTAssertFalse(s.isEmpty)
            XCTAssertTrue(s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }, s)
            XCTAssertFalse(s.hasPrefix("_") || s.hasSuffix("_"), s)
            XCTAssertFalse(s.contains("__"), s)
        }
    }

    // MARK: - Sequence, revision and file name

    func testSequenceString() {
        XCTAssertEqual(MigrationNaming.sequenceString(1), "000001")
        XCTAssertEqual(MigrationNaming.sequenceString(18), "000018")
        XCTAssertEqual(MigrationNaming.sequenceString(999_999), "999999")
        XCTAssertEqual(MigrationNaming.sequenceString(1_000_000), "1000000")
    }

    func testRevisionIDAndFileName() {
        let date = MigrationDate("2026-02-12")!
        XCTAssertEqual(MigrationNaming.revisionID(date: date, sequence: 18), "20260212_000018")
        XCTAssertEqual(MigrationNaming.fileName(date: date, sequence: 18, slug: "add_invoices_table"), "20260212_000018_add_invoices_table.py")
    }

    // MARK: - Dates

    func testValidDates() {
        let d = MigrationDate("2026-02-12")
        XCTAssertEqual(d?.year, 2026)
        XCTAssertEqual(d?.month, 2)
        XCTAssertEqual(d?.day, 12)
        XCTAssertEqual(d?.description, "2026-02-12")
        XCTAssertEqual(d?.compact, "20260212")
        XCTAssertNotNil(MigrationDate("2026-12-31"))
        XCTAssertNotNil(MigrationDate("2026-01-01"))
        XCTAssertNotNil(MigrationDate("2026-04-30"))
    }

    func testLeapDays() {
        XCTAssertNotNil(MigrationDate("2024-02-29"))
        XCTAssertNotNil(MigrationDate("2000-02-29"))
        XCTAssertNil(MigrationDate("2026-02-29"))
        XCTAssertNil(MigrationDate("1900-02-29"))
        XCTAssertNil(MigrationDate("2100-02-29"))
        XCTAssertNil(MigrationDate("2024-02-30"))
    }

    func testBadDates() {
        for text in [
            "", "2026", "2026-02", "20260212", "2026/02/12", "2026-2-12", "2026-02-1", "26-02-12", "2026-13-01",
            "2026-00-10", "2026-01-00", "2026-01-32", "2026-04-31", "2026-06-31", "2026-02-12T00:00", "2026-02-12 ",
            " 2026-02-12", "2026-02-12-01", "abcd-ef-gh", "2026-+1-01", "2026-01-+1", "+026-01-01", "2026-0x-01",
            "２０２６-02-12",
        ] {
            XCTAssertNil(MigrationDate(text), "\"\(text)\" should not be a date")
        }
    }

    func testTodayIsValid() {
        let today = MigrationDate.today()
        XCTAssertEqual(MigrationDate(today.description), today)
    }

    // MARK: - File names

    func testParseConventionalName() {
        let parsed = MigrationFileName.parse("20260212_000018_add_invoices_table.py")
        XCTAssertEqual(parsed.date, "20260212")
        XCTAssertEqual(parsed.sequence, 18)
        XCTAssertEqual(MigrationFileName.impliedRevision("20260212_000018_add_invoices_table.py"), "20260212_000018")
        XCTAssertEqual(MigrationFileName.parse("20260212_000018.py").sequence, 18)
    }

    func testParseUnconventionalNames() {
        for name in ["ae1027a6acf_create_users.py", "2026021_000018_x.py", "20260212_00018_x.py", "20260212-000018_x.py", "20260212_000018x.py", "x.py", ""] {
            let parsed = MigrationFileName.parse(name)
            XCTAssertNil(parsed.sequence, name)
            XCTAssertNil(parsed.date, name)
            XCTAssertNil(MigrationFileName.impliedRevision(name), name)
        }
    }

    func testMigrationCandidates() {
        XCTAssertTrue(MigrationFileName.isMigrationCandidate("20260212_000018_add_invoices_table.py"))
        XCTAssertTrue(MigrationFileName.isMigrationCandidate("ae1027a6acf_create_users.py"))
        for name in [
            "__init__.py", ".#20260212_000018_x.py", "20260212_000018_x.py~", "20260212_000018_x.pyc", "README",
            "README.md", "__pycache__", ".hidden.py", "#20260212_000018_x.py#", "x.py.orig", "x.py.swp", "x.txt",
        ] {
            XCTAssertFalse(MigrationFileName.isMigrationCandidate(name), name)
        }
    }
}
