import XCTest

@testable import VejaMigrateCore

final class RevisionGraphQueryTests: XCTestCase {
    private func m(_ revision: String, _ down: [String] = [], _ fileName: String? = nil) -> MigrationFile {
        TestSupport.migration(revision, down: down, fileName: fileName)
    }

    private func rev(_ n: Int) -> String { TestSupport.rev(n) }

    private func revisions(_ graph: RevisionGraph, _ files: some Sequence<Int>) -> [String] {
        files.compactMap { graph.files[$0].revision }.sorted()
    }

    /// 1 ← 2 ← 4 (merge of 2 and 3) ← 5, 1 ← 3, and 6 on 1 (a head).
    private func diamond() -> RevisionGraph {
        RevisionGraph(files: [
            m(rev(1)), m(rev(2), [rev(1)]), m(rev(3), [rev(1)]), m(rev(4), [rev(2), rev(3)]), m(rev(5), [rev(4)]), m(rev(6), [rev(1)]),
        ])
    }

    func testChildrenAndParents() {
        let graph = diamond()
        XCTAssertEqual(graph.children(of: rev(1)), [rev(2), rev(3), rev(6)])
        XCTAssertEqual(graph.children(of: rev(3)), [rev(4)])
        XCTAssertEqual(graph.children(of: rev(5)), [])
        XCTAssertEqual(graph.children(of: "nope"), [])
        XCTAssertEqual(Array(graph.parents(ofFile: 3)), [1, 2])
        XCTAssertEqual(graph.childrenByFile()[0], [1, 2, 5])
    }

    func testAncestorsAndDescendants() {
        let graph = diamond()
        XCTAssertEqual(revisions(graph, graph.ancestors(of: [rev(5)])), [rev(1), rev(2), rev(3), rev(4), rev(5)])
        XCTAssertEqual(revisions(graph, graph.ancestors(of: [rev(6)])), [rev(1), rev(6)])
        XCTAssertEqual(revisions(graph, graph.descendants(of: [rev(2)])), [rev(2), rev(4), rev(5)])
        XCTAssertEqual(revisions(graph, graph.descendants(of: [rev(1)])).count, 6)
        XCTAssertEqual(graph.descendants(of: ["nope"]), [])
        XCTAssertEqual(revisions(graph, graph.descendants(of: [rev(3), rev(6)])), [rev(3), rev(4), rev(5), rev(6)])
    }

    func testTopologicalOrderPutsEveryMigrationAfterItsParents() {
        // Files listed so that file order alone would be wrong: the merge sorts before one parent.
        let graph = RevisionGraph(files: [
            m("a", [], "a.py"), m("m", ["b", "c"], "b_merge.py"), m("b", ["a"], "c.py"), m("c", ["a"], "d.py"),
        ])
        let order = graph.topologicalOrder().compactMap { graph.files[$0].revision }
        XCTAssertEqual(order, ["a", "b", "c", "m"])
    }

    func testTopologicalOrderLeavesOutUnreadableAndDuplicateFilesAndCutsCycles() {
        let unreadable = MigrationFile(fileName: "20260101_000009_bad.py", header: .failure(.notUTF8))
        let graph = RevisionGraph(files: [
            m(rev(1)), m(rev(2), [rev(3)]), m(rev(3), [rev(2)]), m(rev(1), [], "20260101_000001_copy.py"), unreadable,
        ])
        let order = graph.topologicalOrder()
        XCTAssertEqual(order.count, 3)
        XCTAssertEqual(Set(order), [0, 1, 2])
    }

    func testMissingParentsAreNoEdges() {
        let graph = RevisionGraph(files: [m(rev(1)), m(rev(2), [rev(1), "gone"])])
        XCTAssertEqual(Array(graph.parents(ofFile: 1)), [0])
        XCTAssertEqual(revisions(graph, graph.ancestors(of: [rev(2)])), [rev(1), rev(2)])
    }
}
