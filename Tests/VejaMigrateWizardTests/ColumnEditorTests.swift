import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// Issue 7, item 13: the column editor's fields stay in place whatever the type, and toggles have keys of their own.
final class ColumnEditorTests: XCTestCase {
    /// On the column list of table `things`, with one column open in the editor.
    func editor() -> Driver {
        var d = Driver()
        d.type("t")
        d.press(.enter, .enter, .enter)
        d.type("things")
        d.press(.enter, .enter, .enter, .enter)
        XCTAssertEqual(d.model.state.focus, .columnName)
        return d
    }

    func editorIDs(_ d: Driver) -> [FieldID] { d.model.fields.compactMap(\.id) }

    func testTheFieldsAreTheSameForEveryType() {
        var d = editor()
        d.type("c")
        d.press(.tab)
        let first = editorIDs(d)
        for _ in ColumnType.allCases {
            d.press(.right)
            XCTAssertEqual(editorIDs(d), first, "type \(d.model.state.table.columns[0].type)")
        }
        // Primary key on: the same fields, Nullable and Unique disabled.
        for _ in 0..<60 where d.model.state.focus != .columnPrimaryKey { d.press(.tab) }
        d.press(.character(" "))
        XCTAssertEqual(editorIDs(d), first)
        XCTAssertEqual(d.model.fields.first { $0.id == .columnUnique }?.enabled, false)
    }

    func testTheSameEntersReachTheSameFieldOnAStringAndADatetime() {
        for letter in ["s", "d"] as [Character] {
            var d = editor()
            d.type("c")
            d.press(.enter, .character(letter))
            for _ in 0..<8 { d.press(.enter) }
            XCTAssertEqual(d.model.state.focus, .columnUnique, "type \(d.model.state.table.columns[0].type)")
            d.press(.character(" "))
            XCTAssertTrue(d.model.state.table.columns[0].unique)
            XCTAssertFalse(d.model.state.table.columns[0].index)
        }
    }

    func testADisabledFieldTakesNoInputAndSaysWhy() {
        var d = editor()
        d.type("c")
        d.press(.enter, .character("d"), .enter)  // datetime → Length
        XCTAssertEqual(d.model.state.focus, .columnLength)
        d.type("12")
        XCTAssertEqual(d.model.state.table.columns[0].length, "")
        XCTAssertTrue(d.text.contains("string columns only"), d.text)
    }

    func testTogglesHaveKeysOfTheirOwn() {
        var d = editor()
        d.type("c")  // in the name field: Alt and a letter toggles without leaving it
        d.press(.alt("u"))
        XCTAssertTrue(d.model.state.table.columns[0].unique)
        d.press(.alt("i"), .alt("n"))
        XCTAssertTrue(d.model.state.table.columns[0].index)
        XCTAssertFalse(d.model.state.table.columns[0].nullable)
        XCTAssertEqual(d.model.state.table.columns[0].name, "c")
        d.press(.alt("p"))
        XCTAssertTrue(d.model.state.table.columns[0].primaryKey)
        XCTAssertFalse(d.model.state.table.columns[0].unique, "a primary key is unique already")
        d.press(.alt("u"))
        XCTAssertFalse(d.model.state.table.columns[0].unique, "Unique is disabled on a primary key")
        XCTAssertTrue(d.text.contains("Unique (Alt-u)"), d.text)
        // Outside the editor the keys do nothing.
        d.press(.escape, .alt("u"))
        XCTAssertFalse(d.model.state.table.columns[0].unique)
    }
}
