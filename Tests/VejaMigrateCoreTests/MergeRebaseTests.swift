import XCTest

@testable import VejaMigrateCore

/// `MergePlanner`, `RebasePlanner` and the fixes `status` names, on histories of real file bytes.
final class MergeRebaseTests: XCTestCase {
    static let today = MigrationDate("2026-11-25")!

    /// A file in the seed's template, as `vejamigrate new` writes it.
    static func source(_ description: String, _ revision: String, _ down: [String], date: String = "2026-02-11") -> String {
        MigrationRenderer.python(
            header: MigrationHeaderFields(description: description, revision: revision, downRevisions: down, date: MigrationDate(date)!),
            operations: [])
    }

    /// Files by name and text, and the graph they make.
    struct History {
        var files: [String: [UInt8]] = [:]

        mutating func add(_ name: String, _ text: String) { files[name] = Array(text.utf8) }

        var graph: RevisionGraph {
            RevisionGraph(files: files.keys.sorted().map { name in
                MigrationFile(fileName: name, header: Result { () throws(HeaderReadError) in try MigrationHeaderReader.read(bytes: files[name]!) })
            })
        }

        func rebase(_ name: String, date: MigrationDate = MergeRebaseTests.today) throws(VejaMigrateError) -> RebaseOutcome {
            try RebasePlanner.plan(fileName: name, bytes: files[name]!, graph: graph, date: date)
        }
    }

    /// Two branches each added a migration on 20260211_000017: two heads, sequence 000018 twice.
    static func twoBranches() -> History {
        var h = History()
        h.add("20260210_000016_add_projects.py", source("add projects", "20260210_000016", []))
        h.add("20260211_000017_add_tasks.py", source("add tasks", "20260211_000017", ["20260210_000016"]))
        h.add("20261120_000018_add_invoices.py", source("add invoices", "20261120_000018", ["20260211_000017"], date: "2026-11-20"))
        h.add("20261121_000018_add_tags.py", source("add tags", "20261121_000018", ["20260211_000017"], date: "2026-11-21"))
        return h
    }

    // MARK: - merge

    func testMergeRevisesEveryHeadWithEmptyBodies() throws {
        let graph = Self.twoBranches().graph
        let planned = try XCTUnwrap(try MergePlanner.plan(description: nil, date: Self.today, graph: graph))
        XCTAssertEqual(planned.fileName, "20261125_000019_merge_heads.py")
        XCTAssertEqual(planned.downRevisions, ["20261120_000018", "20261121_000018"])
        let python = planned.python
        XCTAssertTrue(python.hasPrefix("\"\"\"merge heads\n\nRevision ID: 20261125_000019\nRevises: 20261120_000018, 20261121_000018\nCreate Date: 2026-11-25\n\"\"\"\n"), python)
        XCTAssertTrue(python.contains("\ndown_revision = (\"20261120_000018\", \"20261121_000018\")\n"), python)
        XCTAssertTrue(python.hasSuffix("def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n"), python)
        XCTAssertFalse(python.contains("TODO"))
        // Merged, the history has one head again.
        var after = Self.twoBranches()
        after.add(planned.fileName, python)
        XCTAssertEqual(after.graph.heads, ["20261125_000019"])
        XCTAssertEqual(after.graph.problems.map(\.kind), [.duplicateSequence])
    }

    func testMergeTakesADescription() throws {
        let planned = try XCTUnwrap(try MergePlanner.plan(description: "Join invoices and tags", date: Self.today, graph: Self.twoBranches().graph))
        XCTAssertEqual(planned.fileName, "20261125_000019_join_invoices_and_tags.py")
        XCTAssertTrue(planned.python.hasPrefix("\"\"\"Join invoices and tags\n"))
        let issues = TestSupport.issues { () throws(VejaMigrateError) in _ = try MergePlanner.plan(description: "  ", date: Self.today, graph: Self.twoBranches().graph) }
        XCTAssertEqual(issues.map(\.field), ["description"])
    }

    func testNothingToMergeOnOneHeadOrNone() throws {
        var h = Self.twoBranches()
        h.files["20261121_000018_add_tags.py"] = nil
        XCTAssertNil(try MergePlanner.plan(description: nil, date: Self.today, graph: h.graph))
        XCTAssertNil(try MergePlanner.plan(description: nil, date: Self.today, graph: RevisionGraph(files: [])))
    }

    func testMergeRefusesWhatItCannotFix() {
        var h = Self.twoBranches()
        h.add("20261122_000019_orphan.py", Self.source("orphan", "20261122_000019", ["20250101_000099"]))
        XCTAssertThrowsError(try MergePlanner.plan(description: nil, date: Self.today, graph: h.graph)) { error in
            guard case .history(let text) = error as? VejaMigrateError else { return XCTFail("\(error)") }
            XCTAssertTrue(text.contains("missing_down_revision") && text.contains("nothing was written"), text)
        }
    }

    func testMergeOfManyHeadsIsLaidOutAsRuffDoes() throws {
        var h = History()
        h.add("20260101_000001_base.py", Self.source("base", "20260101_000001", []))
        for n in 2...8 {
            let r = TestSupport.rev(n)
            h.add("\(r)_branch.py", Self.source("branch", r, ["20260101_000001"]))
        }
        let planned = try XCTUnwrap(try MergePlanner.plan(description: nil, date: Self.today, graph: h.graph))
        let expected = "down_revision = (\n" + (2...8).map { "    \"\(TestSupport.rev($0))\",\n" }.joined() + ")\n"
        XCTAssertTrue(planned.python.contains("\n" + expected + "branch_labels = None\n"), planned.python)
        XCTAssertEqual(try MigrationHeaderReader.read(bytes: Array(planned.python.utf8)).downRevisions.count, 7)
    }

    // MARK: - rebase

    func testRebaseMovesOneBranchOntoTheOtherAndKeepsTheBody() throws {
        var h = Self.twoBranches()
        let old = "20261121_000018_add_tags.py"
        // A real body, with things that look like header fields inside it.
        let body = "def upgrade() -> None:\n    revision = \"20261121_000018\"  # not the header\n    op.add_column(\"tasks\", sa.Column(\"tag\", sa.Text()))\n\n\ndef downgrade() -> None:\n    op.drop_column(\"tasks\", \"tag\")\n"
        let text = Self.source("add tags", "20261121_000018", ["20260211_000017"], date: "2026-11-21")
        h.add(old, String(text[..<text.range(of: "def upgrade")!.lowerBound]) + body)
        guard case .rebased(let planned) = try h.rebase(old) else { return XCTFail("not rebased") }
        XCTAssertEqual(planned.fileName, "20261125_000019_add_tags.py")
        XCTAssertEqual(planned.revision, "20261125_000019")
        XCTAssertEqual(planned.downRevisions, ["20261120_000018"])
        XCTAssertEqual(planned.oldRevision, "20261121_000018")
        XCTAssertEqual(planned.oldDownRevisions, ["20260211_000017"])
        let new = String(decoding: planned.bytes, as: UTF8.self)
        XCTAssertTrue(new.hasPrefix("\"\"\"add tags\n\nRevision ID: 20261125_000019\nRevises: 20261120_000018\nCreate Date: 2026-11-25\n\"\"\"\n"), new)
        XCTAssertTrue(new.contains("\nrevision = \"20261125_000019\"\ndown_revision = \"20261120_000018\"\n"), new)
        XCTAssertTrue(new.hasSuffix(body), new)
        XCTAssertEqual(planned.bytes.count, h.files[old]!.count, "the new values are as long as the old ones")
        // Afterwards: one head, no duplicate sequence.
        h.files[old] = nil
        h.files[planned.fileName] = planned.bytes
        XCTAssertEqual(h.graph.heads, ["20261125_000019"])
        XCTAssertTrue(h.graph.isHealthy, "\(h.graph.problems)")
        // Run again, there is nothing to do.
        XCTAssertEqual(try h.rebase(planned.fileName), .alreadyOnHead(revision: "20261125_000019", head: "20261120_000018"))
    }

    func testRebaseKeepsTheFileQuotesAnnotationsAndAnAlembicName() throws {
        var h = Self.twoBranches()
        let old = "3f2a1b9c0d4e_add_labels.py"
        h.add(old, """
            \"\"\"Add labels

            Revision ID: 3f2a1b9c0d4e
            Revises: 20260211_000017
            Create Date: 2026-11-21 10:20:30.123456

            \"\"\"
            from typing import Sequence, Union

            revision: str = '3f2a1b9c0d4e'
            down_revision: Union[str, Sequence[str], None] = '20260211_000017'
            branch_labels: Union[str, Sequence[str], None] = None

            """)
        h.files["20261121_000018_add_tags.py"] = nil
        guard case .rebased(let planned) = try h.rebase(old) else { return XCTFail("not rebased") }
        XCTAssertEqual(planned.fileName, "20261125_000019_add_labels.py")
        let new = String(decoding: planned.bytes, as: UTF8.self)
        XCTAssertTrue(new.contains("\nrevision: str = '20261125_000019'\ndown_revision: Union[str, Sequence[str], None] = '20261120_000018'\n"), new)
        XCTAssertTrue(new.contains("\nRevises: 20261120_000018\nCreate Date: 2026-11-25\n\n\"\"\""), new)
    }

    func testRebaseRefusesAMigrationThatAnotherRevises() {
        var h = Self.twoBranches()
        h.add("20261122_000019_after_tags.py", Self.source("after tags", "20261122_000019", ["20261121_000018"]))
        XCTAssertThrowsError(try h.rebase("20261121_000018_add_tags.py")) { error in
            let e = error as? VejaMigrateError
            XCTAssertEqual(e?.exitCode, 3)
            XCTAssertTrue(e?.message.contains("20261122_000019_after_tags.py") == true, "\(String(describing: e))")
            XCTAssertTrue(e?.message.contains("vejamigrate merge") == true)
        }
    }

    func testRebaseRefusesWhenTheRestHasNoSingleHead() {
        var h = Self.twoBranches()
        h.add("20261122_000018_add_labels.py", Self.source("add labels", "20261122_000018", ["20260211_000017"]))
        XCTAssertThrowsError(try h.rebase("20261122_000018_add_labels.py")) { error in
            XCTAssertEqual((error as? VejaMigrateError)?.exitCode, 3)
            XCTAssertTrue((error as? VejaMigrateError)?.message.contains("multiple_heads") == true)
        }
    }

    func testRebaseOfTheOnlyHeadIsNothingToDo() throws {
        var h = Self.twoBranches()
        h.files["20261121_000018_add_tags.py"] = nil
        XCTAssertEqual(try h.rebase("20261120_000018_add_invoices.py"), .alreadyOnHead(revision: "20261120_000018", head: "20260211_000017"))
    }

    func testRebaseRenumbersAHeadWhoseNumberIsTaken() throws {
        // 000017 twice in a chain: the head gets 000018 and keeps its parent.
        var h = Self.twoBranches()
        h.files["20261120_000018_add_invoices.py"] = nil
        h.files["20261121_000018_add_tags.py"] = nil
        h.add("20261121_000017_add_tags.py", Self.source("add tags", "20261121_000017", ["20260211_000017"]))
        guard case .rebased(let planned) = try h.rebase("20261121_000017_add_tags.py") else { return XCTFail("not rebased") }
        XCTAssertEqual(planned.fileName, "20261125_000018_add_tags.py")
        XCTAssertEqual(planned.downRevisions, ["20260211_000017"])
    }

    func testRebaseMovesAnOrphanOntoTheHead() throws {
        var h = Self.twoBranches()
        h.files["20261121_000018_add_tags.py"] = nil
        h.add("20261121_000019_add_tags.py", Self.source("add tags", "20261121_000019", ["20261101_000018"]))
        // Its parent is gone (renamed upstream): it is a head of its own, and rebase is the fix.
        let graph = h.graph
        XCTAssertEqual(graph.problems.map(\.kind), [.multipleHeads, .missingDownRevision])
        XCTAssertEqual(graph.fix(for: graph.problems[1]).commands, [["vejamigrate", "rebase", "20261121_000019_add_tags.py"]])
        guard case .rebased(let planned) = try h.rebase("20261121_000019_add_tags.py") else { return XCTFail("not rebased") }
        XCTAssertEqual(planned.downRevisions, ["20261120_000018"])
        XCTAssertEqual(planned.fileName, "20261125_000019_add_tags.py")
    }

    func testRebaseOfAnUnknownFileIsInvalidInput() {
        XCTAssertThrowsError(try Self.twoBranches().rebase("nope.py", graph: true)) { error in
            XCTAssertEqual((error as? VejaMigrateError)?.exitCode, 1)
        }
    }

    // MARK: - fixes

    func testFixesNameTheCommands() {
        let graph = Self.twoBranches().graph
        let heads = graph.problems.first { $0.kind == .multipleHeads }!
        let fix = graph.fix(for: heads)
        XCTAssertEqual(fix.commands, [["vejamigrate", "merge"], ["vejamigrate", "rebase", "20261121_000018_add_tags.py"]])
        XCTAssertTrue(fix.text.contains("`vejamigrate merge`") && fix.text.contains("onto 20261120_000018"), fix.text)
        let sequence = graph.problems.first { $0.kind == .duplicateSequence }!
        XCTAssertEqual(graph.fix(for: sequence).commands, [["vejamigrate", "rebase", "20261121_000018_add_tags.py"]])
    }

    func testThreeHeadsAreMergedNotRebased() {
        var h = Self.twoBranches()
        h.add("20261122_000018_add_labels.py", Self.source("add labels", "20261122_000018", ["20260211_000017"]))
        let graph = h.graph
        let fix = graph.fix(for: graph.problems.first { $0.kind == .multipleHeads }!)
        XCTAssertEqual(fix.commands, [["vejamigrate", "merge"]])
    }

    func testHandEditsHaveNoCommand() {
        var h = Self.twoBranches()
        h.files["20261121_000018_add_tags.py"] = nil
        h.add("20261122_000019_a.py", Self.source("a", "20261122_000019", ["20261123_000020"]))
        h.add("20261123_000020_b.py", Self.source("b", "20261123_000020", ["20261122_000019"]))
        let graph = h.graph
        let cycle = graph.problems.first { $0.kind == .cycle }!
        XCTAssertEqual(graph.fix(for: cycle).commands, [])
        XCTAssertTrue(graph.fix(for: cycle).text.hasPrefix("by hand"))
    }
}

extension MergeRebaseTests.History {
    /// Rebases a name that may not be in the history (for the error).
    func rebase(_ name: String, graph _: Bool) throws(VejaMigrateError) -> RebaseOutcome {
        try RebasePlanner.plan(fileName: name, bytes: files[name] ?? [], graph: graph, date: MergeRebaseTests.today)
    }
}

extension MergeRebaseTests {
    func testOrphansAreNotOfferedARebaseWhileOthersRemain() {
        // Each orphan's move would leave the other orphan's missing parent: no rebase is offered.
        var h = Self.twoBranches()
        h.files["20261121_000018_add_tags.py"] = nil
        h.add("20261122_000019_a.py", Self.source("a", "20261122_000019", ["20261101_000098"]))
        h.add("20261123_000020_b.py", Self.source("b", "20261123_000020", ["20261101_000099"]))
        let graph = h.graph
        for problem in graph.problems {
            XCTAssertFalse(graph.fix(for: problem).commands.contains { $0.contains("rebase") }, "\(problem.kind): \(graph.fix(for: problem))")
        }
        XCTAssertEqual(graph.problems.filter { $0.kind == .missingDownRevision }.count, 2)
    }
}

extension MergeRebaseTests {
    func testADocstringFieldBehindAnEscapeIsNotLeftStale() {
        // "Revision ID:" only exists after the escape is read: it has no span, so the rebase stops
        // instead of writing a file whose docstring names the old revision.
        var h = Self.twoBranches()
        let old = "20261121_000018_add_tags.py"
        h.add(old, "\"add tags\\n\\nRevision ID: 20261121_000018\"\nrevision = \"20261121_000018\"\ndown_revision = \"20260211_000017\"\n")
        XCTAssertEqual(h.graph.files.first { $0.fileName == old }?.revision, "20261121_000018")
        XCTAssertThrowsError(try h.rebase(old)) { error in
            XCTAssertEqual((error as? VejaMigrateError)?.exitCode, 3)
            XCTAssertTrue((error as? VejaMigrateError)?.message.contains("edit it by hand") == true, "\(error)")
        }
    }
}

extension MergeRebaseTests {
    func testRebaseRefusesAMigrationThatAnotherDependsOn() {
        var h = Self.twoBranches()
        let other = Self.source("add labels", "20261122_000019", ["20261120_000018"])
            .replacingOccurrences(of: "depends_on = None", with: "depends_on = \"20261121_000018\"")
        h.add("20261122_000019_add_labels.py", other)
        XCTAssertThrowsError(try h.rebase("20261121_000018_add_tags.py")) { error in
            XCTAssertEqual((error as? VejaMigrateError)?.exitCode, 3)
            XCTAssertTrue((error as? VejaMigrateError)?.message.contains("depends_on of 20261122_000019_add_labels.py") == true, "\(error)")
        }
    }

    func testDependsOnIsReadAndAFormItDoesNotKnowIsNoError() throws {
        let list = "revision = \"b\"\ndown_revision = \"a\"\ndepends_on: Union[str, Sequence[str], None] = ('x', \"y\")\n"
        XCTAssertEqual(try MigrationHeaderReader.read(bytes: Array(list.utf8)).dependsOn, ["x", "y"])
        let unknown = "revision = \"b\"\ndown_revision = \"a\"\ndepends_on = OTHER_REVISION\n"
        XCTAssertEqual(try MigrationHeaderReader.read(bytes: Array(unknown.utf8)).dependsOn, [])
    }
}
