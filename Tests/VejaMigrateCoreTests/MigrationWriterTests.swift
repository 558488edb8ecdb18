import Foundation
import XCTest

@testable import VejaMigrateCore

final class MigrationWriterTests: XCTestCase {
    private func contents(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    func testWritesTheFile() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let name = "20260212_000018_add_invoices_table.py"
        try MigrationWriter.write("print('hi')\n", to: dir, fileName: name)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8), "print('hi')\n")
        XCTAssertEqual(try contents(dir), [name], "no temporary file is left behind")
    }

    func testWritesNonASCIIAndEmptyText() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try MigrationWriter.write("\"\"\"Pridėti sąskaitų lentelę\"\"\"\n", to: dir, fileName: "a.py")
        try MigrationWriter.write("", to: dir, fileName: "b.py")
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("a.py"), encoding: .utf8), "\"\"\"Pridėti sąskaitų lentelę\"\"\"\n")
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("b.py")), Data())
        XCTAssertEqual(try contents(dir), ["a.py", "b.py"])
    }

    func testRefusesToOverwrite() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let name = "20260212_000018_add_invoices_table.py"
        let url = dir.appendingPathComponent(name)
        try Data("original\n".utf8).write(to: url)
        do {
            try MigrationWriter.write("replacement\n", to: dir, fileName: name)
            XCTFail("an existing file was overwritten")
        } catch {
            guard case .io(let message) = error else { return XCTFail("expected .io, got \(error)") }
            XCTAssertTrue(message.contains(name), message)
            XCTAssertTrue(message.contains("exists"), message)
            XCTAssertEqual(error.exitCode, 4)
        }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "original\n")
        XCTAssertEqual(try contents(dir), [name], "no temporary file is left behind")
    }

    func testRefusesToOverwriteASecondWrite() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try MigrationWriter.write("first\n", to: dir, fileName: "x.py")
        XCTAssertThrowsError(try MigrationWriter.write("second\n", to: dir, fileName: "x.py"))
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("x.py"), encoding: .utf8), "first\n")
        XCTAssertEqual(try contents(dir), ["x.py"])
    }

    func testRefusesToReplaceADanglingSymlink() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let target = dir.appendingPathComponent("elsewhere.txt")
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("x.py").path, withDestinationPath: target.path)
        XCTAssertThrowsError(try MigrationWriter.write("data\n", to: dir, fileName: "x.py"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path), "nothing is written through the link")
        XCTAssertEqual(try contents(dir), ["x.py"])
    }

    func testMissingDirectoryIsAnIOError() throws {
        let dir = try TestSupport.temporaryDirectory(self).appendingPathComponent("missing")
        do {
            try MigrationWriter.write("x\n", to: dir, fileName: "x.py")
            XCTFail("wrote into a missing directory")
        } catch {
            guard case .io = error else { return XCTFail("expected .io, got \(error)") }
            XCTAssertEqual(error.exitCode, 4)
        }
    }
}
