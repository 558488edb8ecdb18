import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// The review step names the command that fixes each history problem, as `vejamigrate status` does.
final class HistoryFixTests: XCTestCase {
    private func notes(_ d: Driver) -> [String] {
        d.model.fields.compactMap { if case .note(let text) = $0.kind { return text } else { return nil } }
    }

    private func review(_ graph: RevisionGraph) -> Driver {
        var d = Driver(graph: graph, size: Size(width: 120, height: 40))
        d.type("empty change")
        d.press(.enter, .enter, .left, .enter)  // the empty migration (the last operation) → review
        XCTAssertEqual(d.model.state.step, .review)
        return d
    }

    func testSeveralHeadsNameMergeAndRebase() {
        let d = review(Fixtures.twoHeads())
        let note = notes(d).first { $0.hasPrefix("Or join the heads first: ") }
        XCTAssertEqual(
            note,
            "Or join the heads first: run `vejamigrate merge` to add the migration that joins the heads; or, if 20260211_000018_add_tags.py "
                + "is your branch's and not applied anywhere yet, `vejamigrate rebase 20260211_000018_add_tags.py` moves it onto 20260211_000017.")
        // On screen, wrapped in the form column.
        let form = (0..<d.screen.size.height).map { String(d.screen.line($0).prefix(47)) }.joined().filter { !$0.isWhitespace }
        XCTAssertTrue(form.contains("`vejamigratemerge`toaddthemigration"), d.text)
    }

    func testAMissingParentNamesRebase() {
        let graph = RevisionGraph(files: Fixtures.linearGraph().files + [
            Fixtures.file("20261124_000018_add_tags.py", revision: "20261124_000018", down: ["20261101_000099"]),
        ])
        let fixes = notes(review(graph)).filter { $0.hasPrefix("Fix: ") }
        XCTAssertEqual(fixes.count, 1)
        XCTAssertTrue(fixes[0].contains("`vejamigrate rebase 20261124_000018_add_tags.py`"), fixes[0])
    }

    func testAHealthyHistoryHasNoFixNotes() {
        let all = notes(review(Fixtures.linearGraph()))
        XCTAssertFalse(all.contains { $0.hasPrefix("Fix: ") || $0.hasPrefix("Or join") }, "\(all)")
    }
}
