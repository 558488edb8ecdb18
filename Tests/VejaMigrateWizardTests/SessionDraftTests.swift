import XCTest
@testable import VejaMigrateCore
@testable import VejaMigrateWizard

/// Issue 13, item 2: drafts. The answers survive a save and a restore whole (every operation, every
/// field), a restored draft is checked against the history as it is now, and a draft that cannot be
/// read is set aside with a message.
final class SessionDraftTests: XCTestCase {
    // MARK: Every answer kind

    /// A column with every part set away from its default.
    static func fullColumn(_ name: String) -> ColumnDraft {
        var c = ColumnDraft(name: name, type: .numeric)
        c.length = "64"
        c.precision = "12"
        c.scale = "2"
        c.nullable = false
        c.primaryKey = true
        c.unique = true
        c.index = true
        c.defaultText = "0"
        c.enumText = "A, B"
        c.referencesTable = "projects"
        c.referencesColumn = "code"
        c.onDelete = .cascade
        c.touched = [.type, .nullable, .references]
        var s = ColumnSuggestion(rule: "suffix_id", type: .uuid)
        s.length = 3
        s.precision = 4
        s.scale = 1
        s.nullable = false
        s.defaultValue = .json(.object(["a": .array([.bool(true)])]))
        s.asksValues = true
        s.referencesTable = "users"
        s.referencesColumn = "id"
        s.onDelete = .setNull
        c.suggestion = s
        c.declined = true
        return c
    }

    static func fullTable() -> TableDraft {
        var t = TableDraft()
        t.name = "invoices"
        t.idPreset = false
        t.timestamps = false
        t.columns = [fullColumn("amount"), ColumnDraft(name: "paid_at", type: .datetime)]
        t.indexes = [IndexDraft(columnsText: "amount, paid_at", unique: true)]
        t.line = "note text"
        t.pending = ColumnDraft(name: "note", type: .text)
        t.askingValues = 0
        t.nameSuggested = true
        return t
    }

    static func fullChange() -> ChangeDraft {
        var c = ChangeDraft()
        c.table = "tasks"
        c.column = "status"
        c.to = "state"
        c.columns = "title, status"
        c.values = ["TODO", "DONE"]
        c.valuesReadFrom = "tasks.status"
        c.map = ["IN_REVIEW": "DONE"]
        c.enumDefault = "TODO"
        c.nullable = .notNull
        c.backfill = "TODO"
        c.type = .text
        c.length = "40"
        c.defaultMode = .set
        c.defaultValue = "TODO"
        c.unique = true
        c.predicate = "status <> 'DONE'"
        c.name = "ck_tasks_status"
        c.expression = "length(title) > 0"
        c.referencesTable = "projects"
        c.referencesColumn = "code"
        c.onDelete = .restrict
        c.safe = false
        return c
    }

    /// Every operation kind, each with every field filled.
    static func fullAnswers() -> SessionAnswers {
        let all = OperationChoice.allCases.map { OperationDraft(operation: $0, table: fullTable(), change: fullChange()) }
        return SessionAnswers(
            description: "add invoices table", details: "for billing\nsecond line", earlier: Array(all.prefix(5)), current: all[5],
            later: Array(all.dropFirst(6)), safe: false, chosenHead: 1, step: .change, intentDraft: all[0])
    }

    /// The names and values of a value's stored properties.
    func properties(_ value: Any) -> [(String, String)] {
        Mirror(reflecting: value).children.map { ($0.label ?? "?", String(describing: $0.value)) }
    }

    /// The fixture sets every stored property away from its default: a field added to the answers
    /// fails here until the fixture sets it, and then the round trip below proves it is saved.
    func testTheFixtureFillsEveryField() {
        let answers = SessionDraftTests.fullAnswers()
        let pairs: [(Any, Any)] = [
            (answers, WizardState().answers), (answers.current, WizardState().current), (answers.current.table, TableDraft()),
            (answers.current.change, ChangeDraft()), (answers.current.table.columns[0], ColumnDraft()),
            (answers.current.table.indexes[0], IndexDraft()),
            (answers.current.table.columns[0].suggestion!, ColumnSuggestion(rule: "", type: .string)),
        ]
        for (filled, plain) in pairs {
            let a = properties(filled), b = properties(plain)
            XCTAssertFalse(a.isEmpty)
            for ((name, value), (_, defaultValue)) in zip(a, b) {
                XCTAssertNotEqual(value, defaultValue, "\(type(of: filled)).\(name) is left at its default in the fixture: set it, so the round trip proves it is saved")
            }
        }
        XCTAssertEqual(Set(answers.operations.map(\.operation)).count, OperationChoice.allCases.count - 1, "every operation but empty")
    }

    func testEveryAnswerSurvivesTheRoundTrip() throws {
        let answers = SessionDraftTests.fullAnswers()
        let draft = SessionDraft(answers: answers, directory: "/p/versions", saved: Date(timeIntervalSince1970: 1_800_000_000))
        let data = try DraftStore.encoder.encode(draft)
        let back = try DraftStore.decoder.decode(SessionDraft.self, from: data)
        XCTAssertEqual(back, draft)
        // Operations are saved by name, not by their place in the enum.
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"alterEnum\""), text)
        XCTAssertTrue(text.contains("\"format\" : 1"), text)
    }

    /// A model holding every operation, saved and restored, builds the same spec, problems and file.
    func testARestoredModelRendersTheSameMigration() throws {
        var a = try Driver.example()
        a.model.resume(SessionDraftTests.fullAnswers())
        let saved = try XCTUnwrap(a.model.draftAnswers)
        let data = try DraftStore.encoder.encode(SessionDraft(answers: saved, directory: "/p", saved: Date()))
        var b = try Driver.example()
        b.model.resume(try DraftStore.decoder.decode(SessionDraft.self, from: data).answers)
        XCTAssertEqual(b.model.state.answers, a.model.state.answers)
        XCTAssertEqual(b.model.spec, a.model.spec)
        XCTAssertEqual(b.model.issues, a.model.issues)
        XCTAssertEqual(b.model.preview, a.model.preview)
        XCTAssertEqual(b.text, a.text)
    }

    /// Typed by keys, a valid migration: the restored one previews the same file, on the same step.
    func testTypedAnswersResumeToTheSameFile() throws {
        var a = try Driver.example()
        a.choose(description: "add invoices table", operation: "Create a table")
        a.type("invoices")
        a.press(.enter, .enter, .enter, .enter)
        a.type("amount numeric(12,2) not null")
        a.press(.enter)
        let answers = try XCTUnwrap(a.model.draftAnswers)
        XCTAssertFalse(a.model.preview.python.isEmpty)
        var b = try Driver.example()
        b.model.offer(SessionDraft(answers: answers, directory: "/p", saved: Date()))
        XCTAssertTrue(b.text.contains("A draft from"), b.text)
        XCTAssertTrue(b.text.contains("add invoices table, 1 operation"), b.text)
        XCTAssertTrue(b.text.contains("r resume"), b.text)
        XCTAssertNil(b.model.draftAnswers, "an offered draft is not saved over")
        b.press(.character("r"))
        XCTAssertEqual(b.model.state.step, a.model.state.step)
        XCTAssertEqual(b.model.preview, a.model.preview)
        XCTAssertEqual(b.model.spec, a.model.spec)
        XCTAssertFalse(b.text.contains("r resume"), b.text)
    }

    func testALongDescriptionIsWrappedInTheQuestion() throws {
        var answers = WizardState().answers
        answers.description = "add invoices table with every column the billing team asked for in the autumn review"
        var d = try Driver.example()
        d.model.offer(SessionDraft(answers: answers, directory: "/p", saved: Date()))
        let flat = d.text.split(separator: "\n").map { $0.replacingOccurrences(of: "│", with: " ") }.joined(separator: " ")
        let words = flat.split(separator: " ").joined(separator: " ")
        XCTAssertTrue(words.contains("autumn review"), d.text)
    }

    func testStartFreshAsksToDiscardTheDraft() throws {
        var d = try Driver.example()
        d.model.offer(SessionDraft(answers: SessionDraftTests.fullAnswers(), directory: "/p", saved: Date()))
        d.press(.character("x"))
        XCTAssertEqual(d.effects.last, Effect.none, "another key leaves the question open")
        d.press(.character("n"))
        XCTAssertEqual(d.effects.last, .discardDraft)
        XCTAssertEqual(d.model.state.step, .description)
        XCTAssertEqual(d.model.state.description, "")
        XCTAssertNil(d.model.draftAnswers, "nothing typed: nothing to keep")
    }

    func testNothingTypedKeepsNoDraft() throws {
        var d = try Driver.example()
        XCTAssertNil(d.model.draftAnswers)
        d.press(.right, .left, .escape)
        XCTAssertNil(d.model.draftAnswers)
        d.type("x")
        XCTAssertEqual(d.model.draftAnswers?.description, "x")
    }

    /// A table dropped since the draft was kept: its usual error at its field, not a crash.
    func testAResumedDraftIsCheckedAgainstTheHistoryNow() throws {
        var answers = WizardState().answers
        answers.description = "rename tasks title"
        answers.current = OperationDraft(operation: .renameColumn, table: TableDraft(), change: ChangeDraft())
        answers.current.change.table = "gone_table"
        answers.current.change.column = "title"
        answers.current.change.to = "name"
        answers.step = .change
        answers.chosenHead = 7
        var d = try Driver.example()
        d.model.resume(answers)
        XCTAssertEqual(d.model.state.step, .change)
        let issue = try XCTUnwrap(d.model.issues.first)
        XCTAssertTrue(issue.field.contains("table"), issue.field)
        XCTAssertTrue(issue.problem.contains("gone_table"), issue.problem)
        _ = d.text  // draws
    }

    // MARK: The store

    func temporary() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drafts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("versions"), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testSavedUnderTheStateFolderPrivatelyAndReadBack() throws {
        let root = try temporary()
        let versions = root.appendingPathComponent("versions")
        let store = try XCTUnwrap(DraftStore(versionsDirectory: versions, environment: ["XDG_STATE_HOME": root.appendingPathComponent("state").path]))
        XCTAssertEqual(store.url.deletingLastPathComponent().path, root.appendingPathComponent("state/vejamigrate").path)
        XCTAssertEqual(store.load(), .none)
        let answers = SessionDraftTests.fullAnswers()
        try store.save(answers)
        let mode = try FileManager.default.attributesOfItem(atPath: store.url.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: versions.path), [], "never in the versions directory")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.url.deletingLastPathComponent().path), [store.url.lastPathComponent], "no temporary left")
        guard case .draft(let draft) = store.load() else { return XCTFail("no draft") }
        XCTAssertEqual(draft.answers, answers)
        XCTAssertEqual(draft.vejamigrate, VejaMigrateVersion.current)
        // The same directory through a symlink is the same draft; another directory has its own.
        let link = root.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: versions)
        XCTAssertEqual(DraftStore(versionsDirectory: link, environment: ["XDG_STATE_HOME": root.appendingPathComponent("state").path])?.url, store.url)
        XCTAssertNotEqual(DraftStore(versionsDirectory: root, environment: ["XDG_STATE_HOME": root.appendingPathComponent("state").path])?.url, store.url)
        store.remove()
        XCTAssertEqual(store.load(), .none)
    }

    func testWithoutXDGStateHomeTheHomeLocalState() throws {
        let store = try XCTUnwrap(DraftStore(versionsDirectory: URL(fileURLWithPath: "/srv/p/versions"), environment: ["HOME": "/home/u", "XDG_STATE_HOME": "relative"]))
        XCTAssertTrue(store.url.path.hasPrefix("/home/u/.local/state/vejamigrate/draft-"), store.url.path)
    }

    func testAStateFolderInsideTheVersionsDirectoryKeepsNoDraft() throws {
        let root = try temporary()
        let versions = root.appendingPathComponent("versions")
        XCTAssertNil(DraftStore(versionsDirectory: versions, environment: ["XDG_STATE_HOME": versions.appendingPathComponent("s").path]))
        XCTAssertNil(DraftStore(versionsDirectory: versions, environment: ["HOME": versions.path]))
    }

    func testACorruptDraftIsSetAsideWithAMessage() throws {
        let root = try temporary()
        let store = try XCTUnwrap(DraftStore(versionsDirectory: root.appendingPathComponent("versions"), environment: ["XDG_STATE_HOME": root.path]))
        for junk in ["{not json", "{\"format\": 1, \"answers\": 3}", "", "\u{0}\u{1}binary"] {
            try FileManager.default.createDirectory(at: store.url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(junk.utf8).write(to: store.url)
            guard case .setAside(let message) = store.load(now: Date(timeIntervalSince1970: 1_800_000_000)) else { return XCTFail("not set aside: \(junk)") }
            let aside = store.url.path + ".corrupt-20270115T080000Z"
            XCTAssertTrue(message.contains(aside), message)
            XCTAssertTrue(message.contains("cannot be read"), message)
            XCTAssertFalse(FileManager.default.fileExists(atPath: store.url.path))
            XCTAssertEqual(FileManager.default.contents(atPath: aside), Data(junk.utf8), "kept as it was")
            XCTAssertEqual(store.load(), .none, "offered no more")
            try FileManager.default.removeItem(atPath: aside)
        }
    }

    func testADraftOfAnotherFormatIsSetAside() throws {
        let root = try temporary()
        let store = try XCTUnwrap(DraftStore(versionsDirectory: root.appendingPathComponent("versions"), environment: ["XDG_STATE_HOME": root.path]))
        for format in [0, SessionDraft.currentFormat + 1] {
            try store.save(SessionDraftTests.fullAnswers())
            var json = try JSONSerialization.jsonObject(with: Data(contentsOf: store.url)) as! [String: Any]
            json["format"] = format
            json["vejamigrate"] = "9.9.9"
            try JSONSerialization.data(withJSONObject: json).write(to: store.url)
            guard case .setAside(let message) = store.load() else { return XCTFail("not set aside") }
            XCTAssertTrue(message.contains("format \(format) (saved by vejamigrate 9.9.9)"), message)
            XCTAssertTrue(message.contains(store.url.path + ".old-format"), message)
            XCTAssertTrue(FileManager.default.fileExists(atPath: store.url.path + ".old-format"))
            XCTAssertEqual(store.load(), .none)
        }
    }

    func testASetAsideMessageShowsOnTheFirstScreen() throws {
        var d = try Driver.example()
        d.model.show("The wizard's draft was not resumed: it cannot be read (not JSON).")
        XCTAssertTrue(d.text.contains("draft was not resumed"), d.text)
    }
}
