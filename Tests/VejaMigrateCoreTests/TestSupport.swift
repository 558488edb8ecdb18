import Foundation
import XCTest

@testable import VejaMigrateCore

/// Helpers shared by the core's unit tests.
enum TestSupport {
    /// The header of `source`, failing the test on a read error.
    static func header(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> MigrationHeader? {
        do {
            return try MigrationHeaderReader.read(bytes: Array(source.utf8))
        } catch {
            XCTFail("unexpected header error \(error) for:\n\(source)", file: file, line: line)
            return nil
        }
    }

    /// The error reading `bytes` gives, or nil when it reads.
    static func headerError(_ bytes: [UInt8]) -> HeaderReadError? {
        do {
            _ = try MigrationHeaderReader.read(bytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    /// A migration file built in memory: a conventional name for `revision` unless `fileName` is given.
    static func migration(
        _ revision: String, down: [String] = [], fileName: String? = nil, docRevisionID: String? = nil
    ) -> MigrationFile {
        var header = MigrationHeader()
        header.revision = revision
        header.downRevisions = down
        header.declaresDownRevision = true
        header.docDescription = "migration \(revision)"
        header.docRevisionID = docRevisionID ?? revision
        header.docRevises = down
        return MigrationFile(fileName: fileName ?? "\(revision)_step.py", header: .success(header))
    }

    /// `YYYYMMDD_NNNNNN` for a day and sequence.
    static func rev(_ sequence: Int, date: String = "20260101") -> String {
        date + "_" + MigrationNaming.sequenceString(sequence)
    }

    /// The issues of a `VejaMigrateError.invalidInput`, failing the test otherwise.
    static func issues(
        _ body: () throws(VejaMigrateError) -> Void, file: StaticString = #filePath, line: UInt = #line
    ) -> [SpecIssue] {
        do {
            try body()
            XCTFail("expected invalidInput, nothing was thrown", file: file, line: line)
        } catch {
            if case .invalidInput(let issues) = error { return issues }
            XCTFail("expected invalidInput, got \(error)", file: file, line: line)
        }
        return []
    }

    /// The contract's invoices spec, verbatim.
    static let invoicesSpecJSON = """
        {
          "description": "add invoices table",
          "details": "Optional extended description for the docstring.",
          "create_table": {
            "name": "invoices",
            "timestamps": true,
            "columns": [
              {"name": "id", "type": "uuid", "primary_key": true},
              {"name": "project_id", "type": "uuid", "nullable": false,
               "foreign_key": {"table": "projects", "column": "id", "ondelete": "CASCADE"}},
              {"name": "status", "type": "string", "length": 32, "nullable": false,
               "enum": ["DRAFT", "SENT", "PAID", "VOID"], "default": "DRAFT"},
              {"name": "amount", "type": "numeric", "precision": 12, "scale": 2, "nullable": false},
              {"name": "payload", "type": "jsonb", "nullable": false, "default": {}},
              {"name": "number", "type": "string", "length": 64, "unique": true},
              {"name": "issued_at", "type": "datetime", "index": true}
            ],
            "indexes": [{"columns": ["status", "issued_at"]}]
          }
        }
        """

    static func invoicesSpec(file: StaticString = #filePath, line: UInt = #line) -> MigrationSpec {
        do {
            return try SpecReader.read(json: Data(invoicesSpecJSON.utf8))
        } catch {
            XCTFail("the contract's invoices spec does not read: \(error.message)", file: file, line: line)
            return MigrationSpec()
        }
    }

    /// The directory of the golden files, next to this source file.
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// A fresh temporary directory, removed when the test ends.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vejamigrate-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }
}
