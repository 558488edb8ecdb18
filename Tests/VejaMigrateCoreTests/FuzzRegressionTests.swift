import Foundation
import XCTest

@testable import VejaMigrateCore

/// Every input `make fuzz` found a failure with (docs/fuzzing.md), fed to the same entry point
/// (`FuzzTarget.run`) in `make test`: FuzzRegressions/TARGET/FILE, TARGET a FuzzTarget raw value.
/// A crash fails the run; a hang (the first one found was exponential time) never finishes it.
final class FuzzRegressionTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzRegressions")

    func testEveryRegressionInputRunsToTheEnd() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).sorted()
        var count = 0
        for folder in folders where !folder.hasPrefix(".") {
            guard let target = FuzzTarget(rawValue: folder) else {
                XCTFail("FuzzRegressions/\(folder) is not a fuzz target; use one of \(FuzzTarget.allCases.map(\.rawValue))")
                continue
            }
            let dir = Self.directory.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
                let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent(name)))
                let started = Date()
                target.run(bytes)
                // Not a timing assertion: a note in the log for an input that became slow.
                let seconds = Date().timeIntervalSince(started)
                if seconds > 5 { print("note: FuzzRegressions/\(folder)/\(name) took \(seconds) s") }
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 0, "no regression inputs found in \(Self.directory.path)")
    }

    func testDeepNestingReadsTheSameValueAsShallow() throws {
        // The memo that made nesting linear must not change what is read: a nested operand
        // followed by an operator still evaluates (string + string joins).
        let source = "from alembic import op\n\nrevision = \"20260101_000001\"\ndown_revision = None\n\n\ndef upgrade() -> None:\n"
            + "    op.execute(((\"CREATE TABLE \" + \"t (id int)\")))\n"
        let history = SchemaReader.history(files: [(name: "20260101_000001_t.py", text: source)])
        XCTAssertNotNil(history.schema.tables["t"], "the nested, joined SQL string was not read")
    }
}

extension FuzzRegressionTests {
    func testAnAssignmentWithNothingAfterTheEqualsSignIsUnsupported() {
        // FuzzRegressions/header/crash-1e7b590d.py: `rebase`'s read with spans trapped on it.
        let bytes = Array("revision = \"20260101_000001\"\ndown_revision: str =\n".utf8)
        XCTAssertEqual(TestSupport.headerError(bytes), .unsupportedValue(name: "down_revision", line: 2))
        XCTAssertThrowsError(try MigrationHeaderReader.readWithSpans(bytes: bytes))
    }
}
