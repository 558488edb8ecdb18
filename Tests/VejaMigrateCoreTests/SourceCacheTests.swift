import Foundation
import XCTest

@testable import VejaMigrateCore

/// The whole-history read's cache (`SourceCache`) and its binary form (`SourceCoding`): what comes
/// out of the cache is exactly what reading the file gives, and a changed file is never taken from it.
final class SourceCacheTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The realistic histories of the integration suite and the example project.
    private static var historyDirectories: [URL] {
        let histories = repository.appendingPathComponent("Tests/integration/histories")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: histories.path)) ?? []
        return names.sorted().map { histories.appendingPathComponent($0) }
            + [repository.appendingPathComponent("examples/vejapro/backend/app/migrations/versions")]
    }

    private func assertSame(_ a: MigrationSource, _ b: MigrationSource, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.file, b.file, file: file, line: line)
        XCTAssertEqual(a.changes, b.changes, a.file.fileName, file: file, line: line)
        XCTAssertEqual(a.downgradeChanges, b.downgradeChanges, a.file.fileName, file: file, line: line)
    }

    private func roundTrip(_ source: MigrationSource, downgrade: Bool) -> MigrationSource? {
        var e = SourceEncoder()
        source.encode(to: &e)
        return e.bytes.withUnsafeBytes { raw in
            var d = SourceDecoder(raw)
            // The name and folder are the cache's keys, given back as SourceCache.decode gives them.
            let decoded = try? MigrationSource.decode(fileName: source.file.fileName, directory: source.file.directory, from: &d, downgrade: downgrade)
            return d.atEnd ? decoded : nil
        }
    }

    func testEveryRealisticHistoryDecodesToWhatReadingGives() throws {
        var files = 0
        for dir in Self.historyDirectories {
            let directory = VersionsDirectory(url: dir)
            let sources = try directory.readSources(downgrades: true, cache: nil, now: 0).sources
            XCTAssertFalse(sources.isEmpty, dir.path)
            for source in sources {
                files += 1
                guard let back = roundTrip(source, downgrade: true) else { return XCTFail("\(source.file.fileName) did not decode") }
                assertSame(source, back)
                // Without the downgrade: skipped, the rest the same.
                let upgradeOnly = roundTrip(source, downgrade: false)
                XCTAssertEqual(upgradeOnly?.changes, source.changes)
                XCTAssertNil(upgradeOnly?.downgradeChanges)
            }
        }
        XCTAssertGreaterThan(files, 40)
    }

    /// Every case of every change type, with every optional field set, so a field left out of the
    /// encoding shows as a difference.
    func testEveryKindOfChangeRoundTrips() throws {
        var table = SchemaTable(name: "t")
        table.createdIn = "20260101_000001_x.py"
        table.columns = [
            SchemaColumn(name: "id", type: "sa.Integer()", nullable: false, serverDefault: "1", autoincrement: true, sqlType: "integer", identity: "always"),
            SchemaColumn(name: "naïve", type: "", nullable: true),
        ]
        table.primaryKey = ["id"]
        table.primaryKeyName = "pk_t"
        table.checks = [SchemaCheck(name: "chk_t_s", condition: "s IN ('A','B')", validated: false), SchemaCheck(name: "c2", condition: "x > 0", column: "x", values: nil)]
        table.uniques = [SchemaUnique(name: "uniq_t_a", columns: ["a", "b"])]
        table.indexes = [SchemaIndex(name: "i", columns: ["lower(email)", "b"], unique: true, descending: [false, true], method: "gin", predicate: "b IS NULL")]
        table.foreignKeys = [
            SchemaForeignKey(name: "fk", columns: ["a"], referencedTable: "u", referencedColumns: ["id"], onDelete: "CASCADE", onUpdate: "SET NULL", deferrable: true, initiallyDeferred: true, validated: false)
        ]
        table.partial = true
        let alteration = ColumnAlteration(nullable: false, serverDefault: .some(nil), type: "sa.Text()", newName: "n", sqlType: "text", identity: .some("by default"))
        let changes: [SchemaChange] = [
            .createTable(table), .dropTable("t"), .renameTable("t", to: "u"), .addColumns("t", table), .dropColumn("t", "c"),
            .alterColumn("t", "c", alteration), .alterColumn("t", "c", ColumnAlteration(serverDefault: .some("'x'"), identity: .some(nil))),
            .alterColumn("t", "c", ColumnAlteration()),
            .createIndex("t", table.indexes[0]), .dropIndex("i", table: "t"), .dropIndex("i", table: nil), .addCheck("t", table.checks[0]),
            .addForeignKey("t", table.foreignKeys[0]), .addUnique("t", table.uniques[0]), .addPrimaryKey("t", name: "pk", columns: ["a", "b"]),
            .dropConstraint("t", name: "c", type: "check"), .dropConstraint("t", name: "c", type: nil), .validateConstraint("t", name: "c"),
            .renameIndex("i", to: "j"), .renameConstraint("t", name: "c", to: "d"), .constraintFromIndex("t", name: "c", index: "i", primary: true),
            .createEnum("e", ["A", "B"]), .addEnumValue("e", value: "C", neighbor: "A", after: true), .addEnumValue("e", value: "D", neighbor: nil, after: false),
            .renameEnumValue("e", from: "A", to: "Z"), .renameEnum("e", to: "f"), .dropEnum("e"),
            .guarded(.all([.tableExists("t"), .not(.columnExists("t", "c")), .any([.indexExists("i"), .indexOnTable("t", "i")]), .constraintExists("t", "c"), .enumExists("e")]),
                     then: [.dropTable("t"), .guarded(.tableExists("u"), then: [], else: [.dropEnum("e")])], else: [.renameTable("a", to: "b")]),
            .cascade(.table("t")), .cascade(.enumType("e")),
            .opaque("op.execute", [RawSQL.Mention(table: "t", kind: .alterTable), RawSQL.Mention(table: "u", kind: .unreadable)], error: "syntax error at or near \"x\""),
            .opaque("helper()", [], error: nil),
        ]
        var header = MigrationHeader()
        header.revision = "20260101_000001"
        header.downRevisions = ["a", "b"]
        header.declaresDownRevision = true
        header.dependsOn = ["c"]
        header.docDescription = "Pridėti sąskaitų lentelę"
        header.docRevisionID = "20260101_000001"
        header.docRevises = ["a", "b"]
        header.docCreateDate = "2026-01-01"
        let located = changes.enumerated().map { LocatedChange(line: $0.offset * 1000 + 1, change: $0.element) }
        let source = MigrationSource(file: MigrationFile(fileName: "20260101_000001_x.py", header: .success(header)), changes: located, downgradeChanges: located.reversed())
        let back = try XCTUnwrap(roundTrip(source, downgrade: true))
        assertSame(source, back)
        for error in [HeaderReadError.cannotOpen, .notUTF8, .unterminatedString(line: 7), .noRevision, .unsupportedValue(name: "revision", line: 3)] {
            let failed = MigrationSource(file: MigrationFile(fileName: "x.py", header: .failure(error)), changes: [], downgradeChanges: nil)
            assertSame(failed, try XCTUnwrap(roundTrip(failed, downgrade: false)))
        }
    }

    /// A field added to a type the cache stores must be encoded too (SourceCoding.swift): then
    /// change the count here.
    func testEveryStoredFieldIsEncoded() {
        let counts: [(String, Int, Int)] = [
            ("SchemaTable", Mirror(reflecting: SchemaTable(name: "t")).children.count, 10),
            ("SchemaColumn", Mirror(reflecting: SchemaColumn(name: "c", type: "")).children.count, 7),
            ("SchemaCheck", Mirror(reflecting: SchemaCheck(name: "c", condition: "")).children.count, 5),
            ("SchemaUnique", Mirror(reflecting: SchemaUnique(name: "u", columns: [])).children.count, 2),
            ("SchemaIndex", Mirror(reflecting: SchemaIndex(name: "i", columns: [], unique: false)).children.count, 6),
            ("SchemaForeignKey", Mirror(reflecting: SchemaForeignKey(name: "f", columns: [], referencedTable: "", referencedColumns: [])).children.count, 9),
            ("ColumnAlteration", Mirror(reflecting: ColumnAlteration()).children.count, 6),
            ("MigrationHeader", Mirror(reflecting: MigrationHeader()).children.count, 8),
            // fileName and directory are the entry's keys, given to decode; the other three are in the entry.
            ("MigrationFile", Mirror(reflecting: MigrationFile(fileName: "x", header: .failure(.noRevision))).children.count, 5),
            ("LocatedChange", Mirror(reflecting: LocatedChange(line: 1, change: .dropTable("t"))).children.count, 3),
            ("RawSQL.Mention", Mirror(reflecting: RawSQL.Mention(table: "t", kind: .data)).children.count, 2),
            ("MigrationSource", Mirror(reflecting: MigrationSource(file: MigrationFile(fileName: "x", header: .failure(.noRevision)), changes: [])).children.count, 8),
        ]
        for (name, found, encoded) in counts {
            XCTAssertEqual(found, encoded, "\(name) has \(found) stored properties, SourceCoding.swift encodes \(encoded)")
        }
    }

    func testTruncatedOrDamagedEncodingIsRefusedNotMisread() throws {
        let dir = Self.historyDirectories[0]
        let sources = try VersionsDirectory(url: dir).readSources(downgrades: true, cache: nil, now: 0).sources
        var e = SourceEncoder()
        sources[1].encode(to: &e)
        let bytes = e.bytes
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 50)) {
            let decoded = bytes[..<cut].withUnsafeBytes { raw -> MigrationSource? in
                var d = SourceDecoder(raw)
                return try? MigrationSource.decode(fileName: "x", from: &d, downgrade: true)
            }
            XCTAssertNil(decoded, "decoded from the first \(cut) of \(bytes.count) bytes")
        }
    }

    // MARK: The cache on disk

    private struct Fixture {
        let versions: URL
        let cacheFolder: URL
        var environment: [String: String] { ["VEJAMIGRATE_CACHE_DIR": cacheFolder.path] }
        /// A clock far enough ahead that every file counts as settled.
        let later = SourceCache.now() + 3_600_000_000_000

        func read(downgrades: Bool = false, now: Int64? = nil) throws -> (sources: [MigrationSource], cached: Int) {
            try VersionsDirectory(url: versions).readSources(
                downgrades: downgrades, cache: SourceCache.open(for: versions, environment: environment), now: now ?? later)
        }

        func history() throws -> MigrationHistory {
            SchemaReader.history(sources: try read().sources)
        }
    }

    private func fixture(copying history: String = "raw_sql_heavy") throws -> Fixture {
        let root = try TestSupport.temporaryDirectory(self)
        let versions = root.appendingPathComponent("versions")
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("Tests/integration/histories/\(history)"), to: versions)
        return Fixture(versions: versions, cacheFolder: root.appendingPathComponent("cache"))
    }

    func testASecondReadComesFromTheCacheAndGivesTheSameSchema() throws {
        let f = try fixture()
        let plain = try VersionsDirectory(url: f.versions).readSources(downgrades: false, cache: nil, now: 0).sources
        let first = try f.read()
        XCTAssertEqual(first.cached, 0)
        let second = try f.read()
        XCTAssertEqual(second.cached, plain.count)
        for (a, b) in zip(plain, second.sources) { assertSame(a, b) }
        XCTAssertEqual(SchemaReader.history(sources: plain).schema, SchemaReader.history(sources: second.sources).schema)
    }

    func testAFileRewrittenWithTheSameSizeAndMtimeIsReadAgain() throws {
        let f = try fixture()
        let first = try f.read()
        let name = "20250415_000007_rename_items_to_lines.py"
        let url = f.versions.appendingPathComponent(name)
        var before = stat()
        XCTAssertEqual(stat(url.path, &before), 0)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains("order_items"))
        // Same length, and the mtime put back: only ctime (and maybe the inode) tells.
        try text.replacingOccurrences(of: "order_items", with: "order_itemz").write(to: url, atomically: false, encoding: .utf8)
        var times = [before.st_atim, before.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, url.path, &times, 0), 0)
        let again = try f.read()
        XCTAssertEqual(again.cached, again.sources.count - 1)
        let plain = try VersionsDirectory(url: f.versions).readSources(downgrades: false, cache: nil, now: 0).sources
        for (a, b) in zip(plain, again.sources) { assertSame(a, b) }
        let changed = { (read: [MigrationSource]) in read.first { $0.file.fileName == name }?.changes }
        XCTAssertNotEqual(changed(first.sources), changed(again.sources))
    }

    func testFilesAddedAndRemovedAreFollowed() throws {
        let f = try fixture()
        let before = try f.history()
        let last = try FileManager.default.contentsOfDirectory(atPath: f.versions.path).sorted().last!
        try FileManager.default.removeItem(at: f.versions.appendingPathComponent(last))
        let removed = try f.read()
        XCTAssertEqual(removed.sources.count, before.graph.files.count - 1)
        XCTAssertFalse(removed.sources.contains { $0.file.fileName == last })
        XCTAssertEqual(removed.cached, removed.sources.count)
        XCTAssertNotEqual(SchemaReader.history(sources: removed.sources).schema, before.schema)
    }

    func testAFileChangedJustNowIsNotStored() throws {
        let f = try fixture()
        let now = SourceCache.now()
        // Every file was copied a moment ago: none has settled, so none is stored.
        _ = try f.read(now: now)
        XCTAssertEqual(try f.read(now: now).cached, 0)
        XCTAssertEqual(try f.read().cached, 0)
        XCTAssertEqual(try f.read().cached, try f.read().sources.count)
    }

    func testADowngradeReadIsNotServedByAnUpgradeOnlyEntry() throws {
        let f = try fixture()
        _ = try f.read(downgrades: false)
        let withDowngrades = try f.read(downgrades: true)
        XCTAssertEqual(withDowngrades.cached, 0)
        XCTAssertTrue(withDowngrades.sources.allSatisfy { $0.downgradeChanges != nil })
        // Stored with their downgrades now, they serve both kinds of read.
        XCTAssertEqual(try f.read(downgrades: true).cached, withDowngrades.sources.count)
        let upgradeOnly = try f.read(downgrades: false)
        XCTAssertEqual(upgradeOnly.cached, withDowngrades.sources.count)
        XCTAssertTrue(upgradeOnly.sources.allSatisfy { $0.downgradeChanges == nil })
    }

    func testADamagedCacheFileIsIgnored() throws {
        let f = try fixture()
        _ = try f.read()
        let cacheFile = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: f.cacheFolder.path).first { $0.hasPrefix("history-") })
        let url = f.cacheFolder.appendingPathComponent(cacheFile)
        var bytes = [UInt8](try Data(contentsOf: url))
        bytes[bytes.count / 2] ^= 0x20
        try Data(bytes).write(to: url)
        let damaged = try f.read()
        XCTAssertEqual(damaged.cached, 0)
        let plain = try VersionsDirectory(url: f.versions).readSources(downgrades: false, cache: nil, now: 0).sources
        for (a, b) in zip(plain, damaged.sources) { assertSame(a, b) }
        // Written anew, whole.
        XCTAssertEqual(try f.read().cached, plain.count)
        try Data(bytes.prefix(100)).write(to: url)
        XCTAssertEqual(try f.read().cached, 0)
    }

    func testTheCacheCanBeTurnedOffAndAnUnwritableFolderIsNoError() throws {
        let f = try fixture()
        XCTAssertNil(SourceCache.open(for: f.versions, environment: ["VEJAMIGRATE_NO_CACHE": "1", "VEJAMIGRATE_CACHE_DIR": f.cacheFolder.path]))
        XCTAssertNotNil(SourceCache.open(for: f.versions, environment: ["VEJAMIGRATE_NO_CACHE": "0", "VEJAMIGRATE_CACHE_DIR": f.cacheFolder.path]))
        XCTAssertEqual(SourceCache.folder(environment: ["HOME": "/home/u"])?.path, "/home/u/.cache/vejamigrate")
        XCTAssertEqual(SourceCache.folder(environment: ["HOME": "/home/u", "XDG_CACHE_HOME": "/x"])?.path, "/x/vejamigrate")
        XCTAssertNil(SourceCache.folder(environment: [:]))
        // A file where the folder should be: nothing can be written, the read still works.
        try Data("x".utf8).write(to: f.cacheFolder)
        let sources = try f.read().sources
        XCTAssertFalse(sources.isEmpty)
        XCTAssertEqual(try f.read().cached, 0)
    }

    func testEachVersionsDirectoryHasItsOwnCacheAndOldOnesArePruned() throws {
        let f = try fixture()
        _ = try f.read()
        let other = try fixture(copying: "enums_and_constraints")
        let otherAtSameFolder = Fixture(versions: other.versions, cacheFolder: f.cacheFolder)
        _ = try otherAtSameFolder.read()
        XCTAssertEqual(try otherAtSameFolder.read().cached, try otherAtSameFolder.read().sources.count)
        XCTAssertEqual(try f.read().cached, try f.read().sources.count)
        let caches = try FileManager.default.contentsOfDirectory(atPath: f.cacheFolder.path).filter { $0.hasPrefix("history-") }
        XCTAssertEqual(caches.count, 2)
        for i in 0..<(SourceCache.keptFiles + 5) {
            try Data().write(to: f.cacheFolder.appendingPathComponent("history-old\(i).bin"))
        }
        try FileManager.default.removeItem(at: f.versions.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: f.versions.path).sorted().last!))
        _ = try f.read()
        let kept = try FileManager.default.contentsOfDirectory(atPath: f.cacheFolder.path).filter { $0.hasPrefix("history-") }
        XCTAssertEqual(kept.count, SourceCache.keptFiles)
        // The one just written is the newest: it stays.
        XCTAssertEqual(try f.read().cached, try f.read().sources.count)
    }
}
