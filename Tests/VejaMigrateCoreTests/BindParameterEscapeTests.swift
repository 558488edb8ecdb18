import XCTest

@testable import VejaMigrateCore

/// `SQL.escapingBindParameters`: what SQLAlchemy's `text()` reads back must be the text itself.
/// Checked against SQLAlchemy itself in Tests/integration/test_security.py; these pin the cases.
final class BindParameterEscapeTests: XCTestCase {
    func testABindParameterGetsABackslash() {
        XCTAssertEqual(SQL.escapingBindParameters("'{\"a\":1}' :name"), "'{\"a\"\\:1}' \\:name")
    }

    func testABackslashThatTextWouldDropIsDoubled() {
        // text() turns `\:x` into `:x`; the user's own backslash must survive.
        XCTAssertEqual(SQL.escapingBindParameters("'a\\:x'"), "'a\\\\:x'")
        XCTAssertEqual(SQL.escapingBindParameters("'a\\: b'"), "'a\\\\: b'")
        XCTAssertEqual(SQL.escapingBindParameters("'a\\\\:x'"), "'a\\\\\\:x'")
    }

    func testABackslashTextKeepsIsLeftAlone() {
        XCTAssertEqual(SQL.escapingBindParameters("'a\\::x'"), "'a\\::x'")
        XCTAssertEqual(SQL.escapingBindParameters("'C:\\path'"), "'C:\\path'")
        XCTAssertEqual(SQL.escapingBindParameters("a::text"), "a::text")
    }
}
