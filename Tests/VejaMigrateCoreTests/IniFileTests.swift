import XCTest

@testable import VejaMigrateCore

/// `IniFile` against Python's `configparser.ConfigParser({"here": "/repo"})`: every expected value
/// here is what Python 3.11 printed for the same text.
final class IniFileTests: XCTestCase {
    private func values(_ text: String, section: String = "alembic") throws -> [String: String] {
        let ini = try IniFile(text: text, defaults: ["here": "/repo"])
        var out: [String: String] = [:]
        for name in ini.optionNames(in: section) { out[name] = try ini.value(name, in: section) }
        return out
    }

    func testKeysValuesCommentsAndHere() throws {
        let text = "[alembic]\nscript_location = %(here)s/migrations\nKey: Value with = sign\n# comment\n; another\nempty =\n"
        XCTAssertEqual(try values(text), ["script_location": "/repo/migrations", "key": "Value with = sign", "empty": ""])
    }

    func testContinuationLinesKeepEmptyLinesAndSkipComments() throws {
        let text = "[alembic]\nversion_locations =\n    %(here)s/a\n\n    %(here)s/b\n    # not part\nnext = 1\n"
        XCTAssertEqual(try values(text), ["version_locations": "\n/repo/a\n\n/repo/b", "next": "1"])
    }

    func testNoInlineCommentsAndEscapedPercent() throws {
        let text = "[alembic]\nurl = postgresql://u:p@h/db  # not a comment\npct = 100%%\n"
        XCTAssertEqual(try values(text), ["url": "postgresql://u:p@h/db  # not a comment", "pct": "100%"])
    }

    func testDefaultSectionAndNestedReferences() throws {
        XCTAssertEqual(
            try values("[DEFAULT]\nbase = %(here)s/backend\n[alembic]\nscript_location = %(base)s/app/migrations\n"),
            ["script_location": "/repo/backend/app/migrations"])
        XCTAssertEqual(try values("[alembic]\na = %(b)s/x\nb = %(c)s/y\nc = root\n"), ["a": "root/y/x", "b": "root/y", "c": "root"])
    }

    func testColonDelimiterAndIndentedFirstKey() throws {
        XCTAssertEqual(try values("[alembic]\nsqlalchemy.url: driver://user:pass@localhost/dbname\n"), ["sqlalchemy.url": "driver://user:pass@localhost/dbname"])
        XCTAssertEqual(try values("[alembic]\n  script_location = x\n"), ["script_location": "x"])
    }

    func testCRLFAndOtherSections() throws {
        let ini = try IniFile(text: "[loggers]\r\nkeys = root\r\n[alembic]\r\nscript_location = a\r\n")
        XCTAssertEqual(ini.sectionNames, ["loggers", "alembic"])
        XCTAssertEqual(try ini.value("script_location", in: "alembic"), "a")
        XCTAssertNil(try ini.value("script_location", in: "loggers"))
        XCTAssertFalse(ini.hasSection("tool"))
    }

    /// Where Python raises, the reader refuses, at the same line.
    func testWhatConfigparserRefuses() {
        let cases: [(String, Int, String)] = [
            ("no section\n[a]\n", 1, "does not start with a [section]"),
            ("[a]\nx = 1\nx = 2\n", 3, "option x appears twice"),
            ("[a]\n[a]\n", 2, "section [a] appears twice"),
            ("[a]\njust text\n", 2, "neither a [section]"),
            ("[a]\n= 3\n", 2, "no option name"),
        ]
        for (text, line, problem) in cases {
            XCTAssertThrowsError(try IniFile(text: text)) { error in
                guard let e = error as? IniFile.ReadError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.line, line, text)
                XCTAssertTrue(e.problem.contains(problem), "\(e.problem) for \(text)")
            }
        }
    }

    func testWhatInterpolationRefuses() throws {
        let cases: [(String, String)] = [
            ("[a]\nx = 5%\n", "'%' must be followed by '%' or '('"),
            ("[a]\nx = %(missing)s\n", "%(missing)s names no option"),
            ("[a]\nx = %(x)s\n", "nest deeper than 10"),
            ("[a]\nx = %(x)d\n", "bad interpolation reference"),
        ]
        for (text, problem) in cases {
            let ini = try IniFile(text: text, defaults: ["here": "/repo"])
            XCTAssertThrowsError(try ini.value("x", in: "a")) { error in
                guard let e = error as? IniFile.InterpolationError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.line, 2)
                XCTAssertTrue(e.problem.contains(problem), "\(e.problem) for \(text)")
            }
        }
    }
}
