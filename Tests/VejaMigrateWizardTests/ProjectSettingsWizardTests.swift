import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// The wizard follows what `vejamigrate` follows: the configuration file (named in its header),
/// the project's line length and its `[tool.vejamigrate] safe`.
final class ProjectSettingsWizardTests: XCTestCase {
    func testHeaderNamesTheConfigurationAndTheSettingsAreRead() throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("vejamigrate-wizard-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("db/versions"), withIntermediateDirectories: true)
        try "[alembic]\nscript_location = %(here)s/db\n".write(to: root.appendingPathComponent("alembic.ini"), atomically: true, encoding: .utf8)
        try "[tool.ruff]\nline-length = 72\n\n[tool.vejamigrate]\nsafe = false\n".write(to: root.appendingPathComponent("pyproject.toml"), atomically: true, encoding: .utf8)
        let context = try WizardContext.locate(DiscoveryRequest(environment: [:], cwd: root), date: MigrationDate("2026-11-25")!)
        XCTAssertEqual(context.directoryLabel, "db/versions (alembic.ini)")
        XCTAssertEqual(context.settings.lineLength, 72)
        var model = WizardModel(context: context)
        _ = model.update(.resize(Size(width: 80, height: 24)))
        let header = model.render().text.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(header.contains("db/versions (alembic.ini)"), header)
        XCTAssertEqual(model.request.lineLength, 72)
        XCTAssertFalse(model.request.safeByDefault)
        XCTAssertFalse(model.state.safe, "Review's toggle starts at the project's default")
    }

    var python: (Driver) -> String { { $0.model.preview.python.map(\.text).joined(separator: "\n") } }

    func testSafeFalseByDefaultAndTurnedOnOnReview() throws {
        var d = try Driver.example(safeByDefault: false)
        d.choose(description: "index task status", operation: "Create an index")
        d.type("tasks")
        d.press(.enter)
        d.type("status")
        d.press(.function(10))
        XCTAssertTrue(d.text.contains("[ ] Lock-safe on PostgreSQL"), d.text)
        XCTAssertFalse(python(d).contains("autocommit_block"), python(d))
        XCTAssertNil(d.model.spec.safe, "the project's default needs no \"safe\" in the spec")
        try assertPreviewIsTheCLIFile(d)
        d.model.testFocus(.lockSafe)
        d.press(.character(" "))
        XCTAssertEqual(d.model.spec.safe, true, "turned on against the project's default: written")
        XCTAssertTrue(python(d).contains("autocommit_block"), python(d))
        try assertPreviewIsTheCLIFile(d)
    }

    func testThePreviewIsLaidOutAtTheProjectsLineLength() throws {
        func preview(_ width: Int) throws -> Driver {
            var d = try Driver.example(lineLength: width)
            d.choose(description: "index task status and title", operation: "Create an index")
            d.type("tasks")
            d.press(.enter)
            d.type("status, title, project_id")
            return d
        }
        let wide = try preview(120), narrow = try preview(60)
        XCTAssertNotEqual(python(wide), python(narrow))
        XCTAssertTrue(python(narrow).split(separator: "\n").allSatisfy { $0.count <= 60 || $0.contains("\"") }, python(narrow))
        try assertPreviewIsTheCLIFile(narrow)
    }
}
