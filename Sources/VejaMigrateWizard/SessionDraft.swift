import Foundation
import VejaMigrateCore

/// An unfinished wizard session, kept so the next start can resume it (docs/wizard.md, "Drafts").
///
/// It holds the user's answers, not the screen: where the focus was, scroll positions and overlays
/// are left out. The answers are the draft types themselves (`OperationDraft`, `TableDraft`,
/// `ColumnDraft`, `ChangeDraft`), whose `Codable` is synthesized, so a field added to them is saved
/// without anyone remembering to; `SessionDraftTests` proves the round trip over every operation.
public struct SessionDraft: Codable, Equatable, Sendable {
    /// The layout of the file. Bump it when a change to the answers would not decode (a renamed or
    /// retyped field): a draft of another format is set aside, never misread.
    public static let currentFormat = 1

    public var format: Int
    /// The vejamigrate that saved it, for the message when it is set aside.
    public var vejamigrate: String
    public var saved: Date
    /// The versions directory's real path: a draft is only offered for the directory it was made in.
    public var directory: String
    public var answers: SessionAnswers

    public init(answers: SessionAnswers, directory: String, saved: Date, format: Int = SessionDraft.currentFormat, vejamigrate: String = VejaMigrateVersion.current) {
        self.format = format
        self.vejamigrate = vejamigrate
        self.saved = saved
        self.directory = directory
        self.answers = answers
    }

    /// `A draft from 2026-12-03 14:02 (create_table invoices, 2 operations)`, in local time.
    public func summary(timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: saved)
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "??" }
        let when = "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
        let operations = answers.operations
        var what: [String] = []
        let description = answers.description.trimmed
        if !description.isEmpty { what.append(description) }
        if operations.count == 1, description.isEmpty { what.append(WizardModel.summary(operations[0])) }
        if operations.count != 1 { what.append("\(operations.count) operations") } else if !description.isEmpty { what.append("1 operation") }
        return "A draft from \(when)" + (what.isEmpty ? "" : " (" + what.joined(separator: ", ") + ")")
    }
}

/// What the user answered: the wizard's input, everything `WizardModel.resume` needs to rebuild
/// the same migration.
public struct SessionAnswers: Codable, Equatable, Sendable {
    public var description: String
    public var details: String
    public var earlier: [OperationDraft]
    public var current: OperationDraft
    public var later: [OperationDraft]
    /// Review's lock-safe toggle.
    public var safe: Bool
    /// The parent chosen among several heads (an index; checked against the heads on resume).
    public var chosenHead: Int
    /// The step the user was on, so resuming opens it again.
    public var step: Step
    /// The operation the description's words filled in (`WizardState.intentDraft`).
    public var intentDraft: OperationDraft?

    /// The operations of the migration in order, empty ones left out.
    var operations: [OperationDraft] { (earlier + [current] + later).filter { $0.operation != .empty } }
}

extension WizardState {
    /// The answers in this state.
    var answers: SessionAnswers {
        SessionAnswers(
            description: description, details: details, earlier: earlier, current: current, later: later, safe: safe,
            chosenHead: chosenHead, step: step, intentDraft: intentDraft)
    }
}

/// Saved by name, so reordering the cases never changes what a saved draft means.
extension OperationChoice: Codable {
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let choice = OperationChoice.allCases.first(where: { "\($0)" == name }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown operation \(name)"))
        }
        self = choice
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode("\(self)")
    }
}

extension Step: Codable {
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let step = Step.allCases.first(where: { "\($0)" == name }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown step \(name)"))
        }
        self = step
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode("\(self)")
    }
}
