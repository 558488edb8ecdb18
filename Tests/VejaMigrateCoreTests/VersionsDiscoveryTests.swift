import Foundation
import XCTest

@testable import VejaMigrateCore

/// `VersionLocations.discover`, `AlembicConfig` and `ProjectSettings` on projects laid out in a
/// temporary folder. (Tests/integration/test_discovery.py checks the same cases against real Alembic.)
final class VersionsDiscoveryTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = try TestSupport.temporaryDirectory(self)
    }

    private func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    private func mkdir(_ path: String) throws {
        try FileManager.default.createDirectory(at: root.appendingPathComponent(path), withIntermediateDirectories: true)
    }

    /// A migration `NNNNNN` revising `down`, in `folder`.
    private func migration(_ folder: String, _ n: Int, down: Int?) throws {
        let rev = TestSupport.rev(n)
        let parent = down.map { "\"\(TestSupport.rev($0))\"" } ?? "None"
        try write("\(folder)/\(rev)_step.py", "\"\"\"step\n\nRevision ID: \(rev)\nRevises:\nCreate Date: 2026-01-01\n\"\"\"\n\nrevision = \"\(rev)\"\ndown_revision = \(parent)\n")
    }

    private func discover(_ cwd: String = "", config: [String] = [], env: [String: String] = [:]) throws -> VersionLocations {
        try VersionLocations.discover(DiscoveryRequest(configFiles: config, environment: env, cwd: root.appendingPathComponent(cwd)))
    }

    private func paths(_ l: VersionLocations) -> [String] { l.displayPaths(cwd: root) }

    private func error(_ body: () throws -> VersionLocations) -> VejaMigrateError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? VejaMigrateError
        }
    }

    func testIniInTheCurrentDirectoryRelativeToTheFile() throws {
        try mkdir("db/versions")
        try write("alembic.ini", "[alembic]\nscript_location = db\n")
        let l = try discover()
        XCTAssertEqual(paths(l), ["db/versions"])
        XCTAssertEqual(l.origin, .currentDirectory)
        XCTAssertEqual(l.configLabel(cwd: root), "alembic.ini")
    }

    func testPyprojectAndThePerOptionRuleOfBoth() throws {
        try mkdir("a/versions")
        try mkdir("b/versions")
        try mkdir("c")
        try write("pyproject.toml", "[tool.alembic]\nscript_location = \"%(here)s/b\"\nversion_locations = [\"%(here)s/c\"]\n")
        XCTAssertEqual(paths(try discover()), ["c"])
        // The ini file's script_location wins; version_locations, which it does not set, still comes from pyproject.toml.
        try write("alembic.ini", "[alembic]\nscript_location = a\n")
        let both = try discover()
        XCTAssertEqual(paths(both), ["c"])
        XCTAssertEqual(both.configLabel(cwd: root), "pyproject.toml")
        try write("pyproject.toml", "[tool.alembic]\nscript_location = \"%(here)s/b\"\n")
        XCTAssertEqual(paths(try discover()), ["a/versions"])
    }

    func testConfigOptionThenEnvironment() throws {
        try mkdir("x/m/versions")
        try mkdir("y/m/versions")
        try write("x/custom.ini", "[alembic]\nscript_location = %(here)s/m\n")
        try write("y/pyproject.toml", "[tool.alembic]\nscript_location = \"%(here)s/m\"\n")
        try mkdir("work")
        XCTAssertEqual(try discover("work", config: ["../x/custom.ini"]).primary.url, root.appendingPathComponent("x/m/versions").standardizedFileURL)
        let env = ["ALEMBIC_CONFIG": root.appendingPathComponent("y/pyproject.toml").path]
        XCTAssertEqual(try discover("work", env: env).origin, .environment)
        XCTAssertEqual(try discover("work", config: ["../x/custom.ini"], env: env).origin, .configOption)
        guard case .config(let issue)? = error({ try discover("work", config: ["nope.ini"]) }) else { return XCTFail() }
        XCTAssertEqual(issue.key, "--config")
        XCTAssertEqual(issue.file, "nope.ini", "relative to the current directory")
    }

    func testSeveralLocationsAreOneHistoryAndNewFilesGoNextToTheHead() throws {
        try migration("a", 1, down: nil)
        try migration("a", 2, down: 1)
        try migration("b", 3, down: 2)
        try mkdir("mig")
        try write("alembic.ini", "[alembic]\nscript_location = mig\npath_separator = os\nversion_locations = %(here)s/a:b\n")
        let l = try discover()
        XCTAssertEqual(paths(l), ["a", "b"])
        let graph = RevisionGraph(files: try l.readMigrations())
        XCTAssertEqual(graph.files.count, 3)
        XCTAssertEqual(graph.heads, [TestSupport.rev(3)])
        XCTAssertEqual(l.directory(forParents: graph.heads, in: graph).displayPath(cwd: root), "b")
        XCTAssertEqual(l.directory(forParents: [], in: graph).displayPath(cwd: root), "a")
        // The whole-history read (with the cache off) gives the same files, each with its folder.
        let history = try l.readHistory()
        XCTAssertEqual(history.graph.files.map(\.fileName), graph.files.map(\.fileName))
        XCTAssertEqual(history.graph.files.map { $0.directory?.lastPathComponent }, ["a", "a", "b"])
    }

    func testSeparatorsAsAlembicSplitsThem() throws {
        try mkdir("mig")
        for d in ["p", "q"] { try mkdir(d) }
        let cases: [(String, String)] = [
            ("path_separator = space\n", "p q"), ("path_separator = ;\n", "p;q"), ("path_separator = newline\n", "\n  p\n  q"),
            ("version_path_separator = :\n", "p:q"), ("", "p, q"), ("", "p,q"),
        ]
        for (separator, value) in cases {
            try write("alembic.ini", "[alembic]\nscript_location = mig\n\(separator)version_locations = \(value)\n")
            XCTAssertEqual(paths(try discover()), ["p", "q"], "\(separator) \(value)")
        }
        try write("alembic.ini", "[alembic]\nscript_location = mig\npath_separator = comma\nversion_locations = p,q\n")
        guard case .config(let issue)? = error({ try discover() }) else { return XCTFail() }
        XCTAssertEqual(issue.key, "[alembic] path_separator")
        XCTAssertEqual(issue.line, 3)
        XCTAssertEqual(AlembicConfig.legacySplit("a,  b c"), ["a", "b", "c"])
    }

    func testRecursiveLocationsIncludeSubfoldersButNotPycache() throws {
        try migration("m/versions/2025", 1, down: nil)
        try migration("m/versions/2026/q1", 2, down: 1)
        try mkdir("m/versions/__pycache__")
        try write("alembic.ini", "[alembic]\nscript_location = m\nrecursive_version_locations = true\n")
        let l = try discover()
        XCTAssertEqual(paths(l), ["m/versions", "m/versions/2025", "m/versions/2026", "m/versions/2026/q1"])
        let graph = RevisionGraph(files: try l.readMigrations())
        XCTAssertEqual(l.directory(forParents: graph.heads, in: graph).displayPath(cwd: root), "m/versions/2026/q1")
        try write("pyproject.toml", "[tool.alembic]\nrecursive_version_locations = \"yes\"\n")
        try write("alembic.ini", "[alembic]\nscript_location = m\n")
        guard case .config(let issue)? = error({ try discover() }) else { return XCTFail() }
        XCTAssertEqual(issue.key, "tool.alembic.recursive_version_locations")
    }

    func testNestedBackendIniFromTheRepositoryRootAndAmbiguity() throws {
        try mkdir(".git")
        try mkdir("backend/app/db/versions")
        try write("backend/alembic.ini", "[alembic]\nscript_location = app/db\n")
        try mkdir("docs")
        XCTAssertEqual(paths(try discover()), ["backend/app/db/versions"])
        XCTAssertEqual(try discover("docs").origin, .repositoryTop)
        // The seed's location comes first.
        try mkdir("backend/app/migrations/versions")
        XCTAssertEqual(try discover().origin, .seedLocation)
        try FileManager.default.removeItem(at: root.appendingPathComponent("backend/app/migrations"))
        try mkdir("svc/db/versions")
        try write("svc/pyproject.toml", "[tool.alembic]\nscript_location = \"db\"\n")
        guard case .config(let issue)? = error({ try discover() }) else { return XCTFail() }
        XCTAssertTrue(issue.problem.contains("backend/alembic.ini") && issue.problem.contains("svc/pyproject.toml"), issue.problem)
    }

    func testPackageResourceMissingKeyAndNothingFound() throws {
        try write("alembic.ini", "[alembic]\nscript_location = myapp:migrations\n")
        guard case .config(let issue)? = error({ try discover() }) else { return XCTFail() }
        XCTAssertEqual(VejaMigrateError.config(issue).exitCode, 2)
        XCTAssertEqual(issue.file, "alembic.ini")
        XCTAssertEqual(issue.line, 2)
        XCTAssertEqual(issue.key, "[alembic] script_location")
        try write("alembic.ini", "[alembic]\nsqlalchemy.url = x\n")
        guard case .config(let missing)? = error({ try discover() }) else { return XCTFail() }
        XCTAssertTrue(missing.problem.contains("missing") && missing.fix.contains("script_location = %(here)s/"), missing.description)
        try FileManager.default.removeItem(at: root.appendingPathComponent("alembic.ini"))
        guard case .io(let text)? = error({ try discover() }) else { return XCTFail() }
        XCTAssertTrue(text.contains("no versions directory found") && text.contains("--versions-dir"), text)
    }

    func testRuffLineLengthAsRuffFindsIt() throws {
        try mkdir("backend/versions")
        let versions = root.appendingPathComponent("backend/versions")
        XCTAssertEqual(try ProjectSettings.load(for: versions).lineLength, 120)
        XCTAssertNil(try ProjectSettings.load(for: versions).ruffConfig)
        try write("pyproject.toml", "[tool.ruff]\nline-length = 100\n")
        XCTAssertEqual(try ProjectSettings.load(for: versions).lineLength, 100)
        try write("backend/ruff.toml", "[format]\nquote-style = \"double\"\n")
        XCTAssertEqual(try ProjectSettings.load(for: versions).lineLength, 88, "a ruff.toml without line-length is ruff's default")
        try write("base.toml", "line-length = 79\n")
        try write("backend/ruff.toml", "extend = \"../base.toml\"\n")
        XCTAssertEqual(try ProjectSettings.load(for: versions).lineLength, 79)
        try write("backend/.ruff.toml", "line-length = 0\n")
        XCTAssertThrowsError(try ProjectSettings.load(for: versions)) { e in
            XCTAssertEqual((e as? ConfigIssue)?.key, "line-length")
        }
    }

    func testToolVejamigrateRawValuesWarningsAndErrors() throws {
        try mkdir("v")
        try write("pyproject.toml", """
            [tool.vejamigrate]
            safe = false
            colour = "always"

            [tool.vejamigrate.check]
            disable = ["fk-without-index", "index-not-concurrent"]
            severity = { "not-null-without-default" = "INFO" }
            """)
        let s = try ProjectSettings.load(for: root.appendingPathComponent("v"))
        XCTAssertFalse(s.safe)
        XCTAssertEqual(s.checkDisable, ["fk-without-index", "index-not-concurrent"])
        XCTAssertEqual(s.checkSeverity, ["not-null-without-default": "INFO"])
        XCTAssertEqual(s.warnings.map(\.key), ["tool.vejamigrate.colour"])
        XCTAssertEqual(s.settingsFile?.lastPathComponent, "pyproject.toml")
        try write("pyproject.toml", "[tool.vejamigrate]\nsafe = 1\n")
        XCTAssertThrowsError(try ProjectSettings.load(for: root.appendingPathComponent("v"))) { e in
            XCTAssertEqual((e as? ConfigIssue)?.key, "tool.vejamigrate.safe")
        }
    }

    func testSafeByDefaultReachesThePlan() throws {
        let history = SchemaReader.history(files: [(
            "20260101_000001_t.py",
            "revision = \"20260101_000001\"\ndown_revision = None\n\ndef upgrade() -> None:\n    op.create_table(\"t\", sa.Column(\"id\", sa.Integer(), primary_key=True), sa.Column(\"a\", sa.Integer()))\n"
        )])
        var spec = MigrationSpec(operations: [.createIndex(CreateIndex(table: "t", columns: ["a"]))])
        spec.description = "index a"
        let safe = try MigrationPlanner.plan(MigrationRequest(spec: spec, date: MigrationDate("2026-11-25")!), graph: history.graph, schema: history.schema)
        let plain = try MigrationPlanner.plan(MigrationRequest(spec: spec, date: MigrationDate("2026-11-25")!, safeByDefault: false), graph: history.graph, schema: history.schema)
        XCTAssertTrue(safe.python.contains("autocommit_block"))
        XCTAssertFalse(plain.python.contains("autocommit_block"))
        spec.safe = true
        let own = try MigrationPlanner.plan(MigrationRequest(spec: spec, date: MigrationDate("2026-11-25")!, safeByDefault: false), graph: history.graph, schema: history.schema)
        XCTAssertTrue(own.python.contains("autocommit_block"), "the spec's own safe wins")
    }
}
