import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// Drives a model the way the terminal would: keys in, screens out.
struct Driver {
    var model: WizardModel
    var effects: [Effect] = []

    init(
        graph: RevisionGraph = Fixtures.linearGraph(), schema: HistorySchema? = nil, size: Size = Size(width: 80, height: 24),
        lineLength: Int = MigrationRenderer.defaultLineLength, safeByDefault: Bool = true
    ) {
        model = WizardModel(
            graph: graph, schema: schema, date: MigrationDate("2026-11-25")!, directoryLabel: "backend/app/migrations/versions",
            lineLength: lineLength, safeByDefault: safeByDefault)
        _ = model.update(.resize(size))
    }

    mutating func press(_ keys: Key...) {
        for k in keys { effects.append(model.update(.key(k))) }
    }

    mutating func type(_ text: String) {
        for ch in text { effects.append(model.update(.key(.character(ch)))) }
    }

    var screen: Screen { model.render() }
    var text: String { screen.text }
}

enum Fixtures {
    /// The bundled example project's history, read whole (graph and schema).
    static func exampleHistory() throws -> MigrationHistory {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../examples/vejapro/backend/app/migrations/versions").standardizedFileURL
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".py") }
        return SchemaReader.history(files: try names.map { ($0, try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) })
    }

    /// Two migrations in a chain: 20260211_000016 ← 20260211_000017.
    static func linearGraph() -> RevisionGraph {
        RevisionGraph(files: [
            file("20260210_000016_add_projects.py", revision: "20260210_000016", down: []),
            file("20260211_000017_add_tasks.py", revision: "20260211_000017", down: ["20260210_000016"]),
        ])
    }

    static func twoHeads() -> RevisionGraph {
        RevisionGraph(files: [
            file("20260210_000016_add_projects.py", revision: "20260210_000016", down: []),
            file("20260211_000017_add_tasks.py", revision: "20260211_000017", down: ["20260210_000016"]),
            file("20260211_000018_add_tags.py", revision: "20260211_000018", down: ["20260210_000016"]),
        ])
    }

    static func file(_ name: String, revision: String, down: [String]) -> MigrationFile {
        var h = MigrationHeader()
        h.revision = revision
        h.downRevisions = down
        h.declaresDownRevision = true
        return MigrationFile(fileName: name, header: .success(h))
    }
}

/// Golden screens: the text and a style layer, one letter per cell, compared with files under Golden/.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// One letter for each look, so a golden file shows style as well as text.
    static func styleLetter(_ s: Style) -> Character {
        if s.reverse && s.foreground == .cyan { return "F" }  // focused
        if s.reverse { return s.bold ? "T" : "t" }  // title and footer bars
        switch s.foreground {
        case .red: return "E"
        case .green: return s.dim ? "d" : s.bold ? "G" : "g"
        case .gray: return "."
        case .magenta: return "k"
        case .blue: return "c"
        case .cyan: return s.underline ? "U" : "n"
        case .yellow: return "W"
        case .normal: return s.bold ? (s.underline ? "H" : "B") : s.underline ? "u" : " "
        }
    }

    static func styleLayer(_ screen: Screen) -> String {
        (0..<screen.size.height).map { y in
            String((0..<screen.size.width).filter { !screen[$0, y].continuation }.map { styleLetter(screen[$0, y].style) })
        }.joined(separator: "\n")
    }

    static func document(_ screen: Screen) -> String {
        var cursor = "none"
        if let c = screen.cursor { cursor = "\(c.x),\(c.y)" }
        return "size \(screen.size.width)x\(screen.size.height) cursor \(cursor)\n--- text\n" + screen.text + "\n--- style\n" + styleLayer(screen) + "\n"
    }

    /// Compares with the golden file; `VEJAMIGRATE_RECORD=1` writes it instead.
    static func check(_ screen: Screen, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        compare(document(screen), name, file: file, line: line)
    }

    /// Compares a document with the golden file `name`; `VEJAMIGRATE_RECORD=1` writes it instead.
    static func compare(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = directory.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["VEJAMIGRATE_RECORD"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let previous = try? String(contentsOf: url, encoding: .utf8)
            try! actual.write(to: url, atomically: true, encoding: .utf8)
            // A recording run never passes: the new baseline must be reviewed, then the tests run again.
            if previous != actual {
                XCTFail("Recorded new baseline \(name); review the diff and run the tests again without VEJAMIGRATE_RECORD", file: file, line: line)
            }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("missing golden \(url.path); run with VEJAMIGRATE_RECORD=1 once and review it", file: file, line: line)
            return
        }
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDiff = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }.map { $0.offset } ?? min(e.count, a.count)
            XCTFail("screen differs from \(name) at line \(firstDiff + 1):\nexpected: \(firstDiff < e.count ? e[firstDiff] : "")\nactual:   \(firstDiff < a.count ? a[firstDiff] : "")", file: file, line: line)
        }
    }
}

extension Driver {
    /// Answers the whole invoices flow like a person: description, table, two columns, enum, FK, an index.
    mutating func answerInvoices() {
        type("add invoices table")
        press(.enter, .enter)          // details → operation
        press(.enter)                  // create a table (the description named it) → table step
        type("invoices")               // the first key replaces the name the description suggested
        press(.enter, .enter, .enter)  // id preset, timestamps → columns
        press(.enter)                  // the empty column line: + Add column
        type("project_id")             // the name suggests uuid, NOT NULL (with a history, the FK too)
        press(.alt("a"))               // next column
        type("status")                 // string(32), NOT NULL, its values asked next
        press(.enter)                  // → allowed values
        type("DRAFT, SENT, PAID, VOID")  // the first one is the default
        press(.escape)                 // back to the list
        press(.tab, .tab, .enter)      // + Add column, Continue
        press(.enter, .enter)          // values and default as given → foreign keys
        press(.enter)                  // edit project_id
        press(.control("u"))           // (with a history, the wizard guesses the table: start clean)
        type("projects")
        press(.enter, .enter)          // column id → on delete
        if model.state.table.columns[0].onDelete != .cascade { press(.right) }  // CASCADE (a history suggests it)
        press(.enter)                  // → list
        press(.tab, .tab, .enter)      // status row, Continue → indexes
        press(.enter)                  // + Add index
        type("status, created_at")
        press(.enter, .tab, .tab, .enter)  // unique → + Add index → Continue → review
    }
}

/// The spec a person would write by hand for `answerInvoices`.
let invoicesSpecJSON = """
{
  "description": "add invoices table",
  "create_table": {
    "name": "invoices",
    "timestamps": true,
    "columns": [
      {"name": "id", "type": "uuid", "primary_key": true},
      {"name": "project_id", "type": "uuid", "nullable": false,
       "foreign_key": {"table": "projects", "column": "id", "ondelete": "CASCADE"}},
      {"name": "status", "type": "string", "length": 32, "nullable": false,
       "enum": ["DRAFT", "SENT", "PAID", "VOID"], "default": "DRAFT"}
    ],
    "indexes": [{"columns": ["status", "created_at"]}]
  }
}
"""

extension Driver {
    /// A new column, its editor open: Enter on the column line (where the step starts), else `a`.
    mutating func newColumn() {
        press(model.state.focus == .columnLine ? .enter : .character("a"))
    }

    /// On the column list: `a`, the name, the type by its letter, Esc back to the list.
    mutating func addColumn(_ name: String, typeLetter: Character? = nil) {
        // On the column line (the step's first field) Enter opens the editor; elsewhere `a` does.
        press(model.state.focus == .columnLine ? .enter : .character("a"))
        type(name)
        press(.tab)
        if let typeLetter { press(.character(typeLetter)) }
        press(.escape)
    }
}

extension WizardModel {
    /// Test hook: focuses a field of the current step.
    mutating func testFocus(_ id: FieldID) {
        for _ in 0..<200 where state.focus != id { _ = update(.key(.tab)) }
        for _ in 0..<200 where state.focus != id { _ = update(.key(.backTab)) }
    }
}

extension Driver {
    /// A driver on the bundled example project's history, at 80x24.
    static func example(lineLength: Int = MigrationRenderer.defaultLineLength, safeByDefault: Bool = true) throws -> Driver {
        let history = try Fixtures.exampleHistory()
        return Driver(graph: history.graph, schema: history.schema, size: Size(width: 80, height: 24), lineLength: lineLength, safeByDefault: safeByDefault)
    }

    /// Description, then the operation titled `title` (→ until it shows), then Enter.
    mutating func choose(description: String, operation title: String, file: StaticString = #filePath, line: UInt = #line) {
        type(description)
        press(.enter, .enter)
        pick(title, file: file, line: line)
    }

    /// On the operation step: → until `title` shows, then Enter.
    mutating func pick(_ title: String, file: StaticString = #filePath, line: UInt = #line) {
        for _ in 0..<20 where !text.contains("‹ \(title) ›") { press(.right) }
        XCTAssertTrue(text.contains("‹ \(title) ›"), text, file: file, line: line)
        press(.enter)
    }
}

/// The preview is the file the core writes for the spec the wizard built (same planner as the CLI),
/// and the saved spec reads back as the same spec.
func assertPreviewIsTheCLIFile(_ d: Driver, file: StaticString = #filePath, line: UInt = #line) throws {
    let history = try Fixtures.exampleHistory()
    let planned = try MigrationPlanner.plan(d.model.request, graph: history.graph, schema: history.schema)
    XCTAssertEqual(d.model.preview.python.map(\.text).joined(separator: "\n") + "\n", planned.python, file: file, line: line)
    let saved = try SpecReader.read(json: Data(d.model.spec.jsonText.utf8))
    XCTAssertEqual(saved.operations, d.model.spec.operations, file: file, line: line)
    XCTAssertEqual(saved.safe, d.model.spec.safe, file: file, line: line)
}
