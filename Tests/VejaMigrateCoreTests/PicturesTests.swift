import XCTest

@testable import VejaMigrateCore

final class PicturesTests: XCTestCase {
    private func m(_ revision: String, _ down: [String] = []) -> MigrationFile {
        TestSupport.migration(revision, down: down)
    }

    private func rev(_ n: Int) -> String { TestSupport.rev(n) }

    /// The drawing with each `*` followed by the file's sequence number.
    private func drawing(_ graph: RevisionGraph) -> String {
        RevisionGraphDrawing.rows(graph).map { row in
            row.graph + (row.file.map { " " + String(graph.files[$0].revision!.suffix(1)) } ?? "")
        }.joined(separator: "\n")
    }

    func testALinearHistoryIsOneLane() {
        let graph = RevisionGraph(files: [m(rev(1)), m(rev(2), [rev(1)]), m(rev(3), [rev(2)])])
        XCTAssertEqual(drawing(graph), "* 3\n* 2\n* 1")
    }

    func testAMergeAndABranchFromTheRoot() {
        // 1 <- 2 <- 4 (merge of 2 and 3) <- 5, 1 <- 3, and 6 on 1 (a second head).
        let graph = RevisionGraph(files: [
            m(rev(1)), m(rev(2), [rev(1)]), m(rev(3), [rev(1)]), m(rev(4), [rev(2), rev(3)]), m(rev(5), [rev(4)]), m(rev(6), [rev(1)]),
        ])
        XCTAssertEqual(drawing(graph), """
            * 6
            | * 5
            | *   4
            | |\\
            | | * 3
            | * | 2
            | |/
            |/
            * 1
            """)
    }

    func testALaneJoinsAcrossAnotherAndARootEnds() {
        // Two histories: r1 <- a, r1 <- c, and r2 <- b, drawn a, b, c, then r1 (across b's lane), then r2.
        let graph = RevisionGraph(files: [
            m(rev(8)), m(rev(7)), m(rev(3), [rev(7)]), m(rev(4), [rev(8)]), m(rev(5), [rev(7)]),
        ])
        XCTAssertEqual(drawing(graph), """
            * 5
            | * 4
            | | * 3
            |_|/
            * | 7
             /
            * 8
            """)
    }

    func testMermaidNamesAndWords() {
        XCTAssertEqual(MermaidDiagram.entityName("users"), "users")
        XCTAssertEqual(MermaidDiagram.entityName("Tokens"), "\"Tokens\"")
        XCTAssertEqual(MermaidDiagram.entityName("end"), "\"end\"")
        XCTAssertEqual(MermaidDiagram.entityName("end_dates"), "end_dates")
        XCTAssertEqual(MermaidDiagram.entityName("2fa"), "\"2fa\"")
        XCTAssertEqual(MermaidDiagram.entityName("a\"b%c"), "\"a_b_c\"")
        XCTAssertEqual(MermaidDiagram.word("numeric(12,2)", avoidingKeys: true), "numeric(12_2)")
        XCTAssertEqual(MermaidDiagram.word("timestamp with time zone", avoidingKeys: true), "timestamp_with_time_zone")
        XCTAssertEqual(MermaidDiagram.word("PK", avoidingKeys: true), "PK_")
        XCTAssertEqual(MermaidDiagram.word("9lives", avoidingKeys: true), "_9lives")
        XCTAssertEqual(MermaidDiagram.quoted("a \"b\" ~c~"), "\"a 'b' -c-\"")
        XCTAssertEqual(MermaidDiagram.entityName("go direction  LR"), "\"go direction_LR\"")
    }
}
