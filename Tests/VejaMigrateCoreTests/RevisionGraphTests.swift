import XCTest

@testable import VejaMigrateCore

final class RevisionGraphTests: XCTestCase {
    private func m(_ revision: String, _ down: [String] = [], _ fileName: String? = nil, _ doc: String? = nil) -> MigrationFile {
        TestSupport.migration(revision, down: down, fileName: fileName, docRevisionID: doc)
    }

    private func rev(_ n: Int, date: String = "20260101") -> String { TestSupport.rev(n, date: date) }

    private func kinds(_ graph: RevisionGraph) -> [HistoryProblem.Kind] { graph.problems.map(\.kind) }

    func testLinearChain() {
        let files = [m(rev(1), []), m(rev(2), [rev(1)]), m(rev(3), [rev(2)])]
        let graph = RevisionGraph(files: files)
        XCTAssertEqual(graph.heads, [rev(3)])
        XCTAssertEqual(graph.nextSequence, 4)
        XCTAssertTrue(graph.isHealthy, "\(graph.problems)")
        XCTAssertEqual(graph.problems, [])
        XCTAssertEqual(graph.chainProblems, [])
        XCTAssertEqual(graph.file(for: rev(2))?.fileName, "\(rev(2))_step.py")
        XCTAssertNil(graph.file(for: "nope"))
    }

    func testEmptyDirectory() {
        let graph = RevisionGraph(files: [])
        XCTAssertEqual(graph.heads, [])
        XCTAssertEqual(graph.nextSequence, 1)
        XCTAssertTrue(graph.isHealthy)
    }

    func testNextSequenceIsHighestInFileNamesPlusOneEvenWithGapsAndOtherDates() {
        let files = [
            m("20250101_000001", []),
            m("20250301_000017", ["20250101_000001"]),
            m("20250201_000005", ["20250301_000017"]),
        ]
        let graph = RevisionGraph(files: files)
        XCTAssertEqual(graph.nextSequence, 18)
        XCTAssertEqual(graph.heads, ["20250201_000005"])
    }

    func testUnconventionalNamesDoNotCountForTheSequence() {
        let files = [
            m("ae1027a6acf", [], "ae1027a6acf_create_users.py", nil),
            m(rev(3), ["ae1027a6acf"]),
        ]
        let graph = RevisionGraph(files: files)
        XCTAssertEqual(graph.nextSequence, 4)
        XCTAssertTrue(graph.isHealthy, "\(graph.problems)")
    }

    func testMultipleHeads() {
        let files = [m(rev(1), []), m(rev(2), [rev(1)]), m(rev(3), [rev(1)])]
        let graph = RevisionGraph(files: files)
        XCTAssertEqual(graph.heads, [rev(2), rev(3)])
        XCTAssertEqual(kinds(graph), [.multipleHeads])
        let problem = graph.problems[0]
        XCTAssertEqual(problem.files, ["\(rev(2))_step.py", "\(rev(3))_step.py"])
        XCTAssertTrue(problem.message.contains(rev(2)) && problem.message.contains(rev(3)), problem.message)
        XCTAssertTrue(problem.message.contains("merge"), problem.message)
        XCTAssertEqual(graph.chainProblems.map(\.kind), [.multipleHeads])
    }

    func testDuplicateSequence() {
        let files = [
            m(rev(1), []),
            m(rev(2), [rev(1)]),
            m(rev(2, date: "20260105"), [rev(2)]),
        ]
        let graph = RevisionGraph(files: files)
        XCTAssertEqual(kinds(graph), [.duplicateSequence])
        XCTAssertEqual(graph.problems[0].files, ["\(rev(2))_step.py", "20260105_000002_step.py"])
        XCTAssertTrue(graph.problems[0].message.contains("000002"), graph.problems[0].message)
        XCTAssertEqual(graph.nextSequence, 3)
        XCTAssertEqual(graph.heads, ["20260105_000002"])
    }

    func testDuplicateRevision() {
        let files = [
            m(rev(1), []),
            m(rev(2), [rev(1)], "\(rev(2))_one.py", nil),
            m(rev(2), [rev(1)], "\(rev(2))_two.py", nil),
        ]
        let graph = RevisionGraph(files: files)
        XCTAssertTrue(kinds(graph).contains(.duplicateRevision), "\(graph.problems)")
        let dup = graph.problems.first { $0.kind == .duplicateRevision }!
        XCTAssertEqual(dup.files, ["\(rev(2))_one.py", "\(rev(2))_two.py"])
        XCTAssertTrue(dup.message.contains(rev(2)))
        XCTAssertTrue(graph.chainProblems.contains { $0.kind == .duplicateRevision })
    }

    func testMissingDownRevision() {
        let files = [m(rev(1), []), m(rev(2), ["20250101_000099"])]
        let graph = RevisionGraph(files: files)
        XCTAssertTrue(kinds(graph).contains(.missingDownRevision), "\(graph.problems)")
        let missing = graph.problems.first { $0.kind == .missingDownRevision }!
        XCTAssertEqual(missing.files, ["\(rev(2))_step.py"])
        XCTAssertTrue(missing.message.contains("20250101_000099"), missing.message)
    }

    func testTwoCycle() {
        let files = [m(rev(1), [rev(2)]), m(rev(2), [rev(1)])]
        let graph = RevisionGraph(files: files)
        XCTAssertEqual(kinds(graph), [.cycle])
        XCTAssertEqual(Set(graph.problems[0].files), ["\(rev(1))_step.py", "\(rev(2))_step.py"])
        XCTAssertTrue(graph.problems[0].message.contains(rev(1)) && graph.problems[0].message.contains(rev(2)))
        XCTAssertEqual(graph.heads, [])
        XCTAssertEqual(graph.chainProblems.map(\.kind), [.cycle])
    }

    func testSelfLoop() {
        let files = [m(rev(1), []), m(rev(2), [rev(2)])]
        let graph = RevisionGraph(files: files)
        XCTAssertTrue(kinds(graph).contains(.cycle), "\(graph.problems)")
        let cycle = graph.problems.first { $0.kind == .cycle }!
        XCTAssertEqual(cycle.files, ["\(rev(2))_step.py"])
        XCTAssertTrue(cycle.message.contains("\(rev(2)) -> \(rev(2))"), cycle.message)
    }

    func testCycleBehindAChainIsReportedOnce() {
        // 3 -> 2 -> 1 -> 3, plus 4 -> 3 hanging off it.
        let files = [
            m(rev(1), [rev(3)]), m(rev(2), [rev(1)]), m(rev(3), [rev(2)]),
            m(rev(4), [rev(3)]),
        ]
        let graph = RevisionGraph(files: files)
        XCTAssertEqual(kinds(graph).filter { $0 == .cycle }.count, 1, "\(graph.problems)")
        XCTAssertEqual(graph.heads, [rev(4)])
    }

    func testUnreadableFile() {
        let bad = MigrationFile(fileName: "\(rev(2))_broken.py", header: .failure(.unterminatedString(line: 4)))
        let graph = RevisionGraph(files: [m(rev(1), []), bad])
        XCTAssertEqual(kinds(graph), [.unreadableFile])
        XCTAssertEqual(graph.problems[0].files, ["\(rev(2))_broken.py"])
        XCTAssertTrue(graph.problems[0].message.contains("line 4"), graph.problems[0].message)
        XCTAssertEqual(graph.nextSequence, 3, "an unreadable file's name still takes its sequence")
        XCTAssertEqual(graph.heads, [rev(1)])
        XCTAssertEqual(graph.chainProblems.map(\.kind), [.unreadableFile])
    }

    func testNameRevisionMismatchFileName() {
        let files = [m(rev(1), []), m(rev(2), [rev(1)], "\(rev(3))_step.py", nil)]
        let graph = RevisionGraph(files: files)
        XCTAssertEqual(kinds(graph), [.nameRevisionMismatch])
        XCTAssertEqual(graph.problems[0].files, ["\(rev(3))_step.py"])
        XCTAssertTrue(graph.problems[0].message.contains(rev(3)) && graph.problems[0].message.contains(rev(2)))
        XCTAssertEqual(graph.chainProblems, [], "a naming mismatch does not make the parent uncertain")
    }

    func testNameRevisionMismatchDocstring() {
        let files = [m(rev(1), []), m(rev(2), [rev(1)], nil, "20260101_000009")]
        let graph = RevisionGraph(files: files)
        XCTAssertEqual(kinds(graph), [.nameRevisionMismatch])
        XCTAssertEqual(graph.problems[0].files, ["\(rev(2))_step.py"])
        XCTAssertTrue(graph.problems[0].message.contains("20260101_000009"), graph.problems[0].message)
    }

    func testMergeJoinsTwoHeads() {
        let files = [
            m(rev(1), []), m(rev(2), [rev(1)]), m(rev(3), [rev(1)]),
            m(rev(4), [rev(2), rev(3)]),
        ]
        let graph = RevisionGraph(files: files)
        XCTAssertEqual(graph.heads, [rev(4)])
        XCTAssertTrue(graph.isHealthy, "\(graph.problems)")
        XCTAssertEqual(graph.nextSequence, 5)
    }

    func testMergeReadFromSourceJoinsHeads() throws {
        let sources = [
            ("\(rev(1))_a.py", "revision = \"\(rev(1))\"\ndown_revision = None\n"),
            ("\(rev(2))_b.py", "revision: str = '\(rev(2))'\ndown_revision: Union[str, None] = '\(rev(1))'\n"),
            ("\(rev(3))_c.py", "revision = \"\(rev(3))\"\ndown_revision = \"\(rev(1))\"\n"),
            ("\(rev(4))_merge.py", "revision = \"\(rev(4))\"\ndown_revision = (\n    \"\(rev(2))\",\n    \"\(rev(3))\",\n)\n"),
        ]
        let files = sources.map { name, text in
            MigrationFile(fileName: name, header: Result { () throws(HeaderReadError) in try MigrationHeaderReader.read(bytes: Array(text.utf8)) })
        }
        let graph = RevisionGraph(files: files)
        XCTAssertEqual(graph.heads, [rev(4)])
        XCTAssertTrue(graph.isHealthy, "\(graph.problems)")
        let beforeMerge = RevisionGraph(files: Array(files.prefix(3)))
        XCTAssertEqual(beforeMerge.heads, [rev(2), rev(3)])
    }

    func testProblemsAreOrderedByKind() {
        let files = [
            m(rev(1), []),
            m(rev(2), [rev(1)], "\(rev(5))_x.py", nil),
            m(rev(3), [rev(1)]),
            m(rev(3, date: "20260102"), ["gone"]),
        ]
        let graph = RevisionGraph(files: files)
        let order = HistoryProblem.Kind.allCases
        let indices = kinds(graph).map { order.firstIndex(of: $0)! }
        XCTAssertEqual(indices, indices.sorted(), "\(kinds(graph))")
        XCTAssertEqual(Set(kinds(graph)), [.multipleHeads, .duplicateSequence, .missingDownRevision, .nameRevisionMismatch])
    }

    func testKindRawValuesMatchTheContract() {
        XCTAssertEqual(
            HistoryProblem.Kind.allCases.map(\.rawValue),
            ["multiple_heads", "duplicate_sequence", "duplicate_revision", "missing_down_revision", "cycle", "unreadable_file", "name_revision_mismatch"])
    }

    func testTenThousandNodeChain() {
        let n = 10_000
        var files: [MigrationFile] = []
        files.reserveCapacity(n)
        for i in 1...n {
            files.append(m(rev(i), i == 1 ? [] : [rev(i - 1)]))
        }
        let graph = RevisionGraph(files: files)
        XCTAssertEqual(graph.heads, [rev(n)])
        XCTAssertEqual(graph.nextSequence, n + 1)
        XCTAssertTrue(graph.isHealthy)
    }

    func testTenThousandNodeCycleIsFoundWithoutRecursion() {
        let n = 10_000
        var files: [MigrationFile] = []
        for i in 1...n {
            files.append(m(rev(i), [rev(i == 1 ? n : i - 1)]))
        }
        let graph = RevisionGraph(files: files)
        XCTAssertEqual(kinds(graph), [.cycle])
        XCTAssertEqual(graph.problems[0].files.count, n)
    }
}
