/// How to fix one problem of the history: the commands that do it, best first, and the same in
/// words. A problem that only an edit by hand fixes has no command.
///
/// ```swift
/// for problem in graph.problems {
///     print(problem.message, graph.fix(for: problem).text)
/// }
/// ```
public struct HistoryFix: Equatable, Sendable {
    /// Each command as its words, e.g. `["vejamigrate", "rebase", "20261125_000018_add_tags.py"]`.
    public var commands: [[String]]
    /// What to do, naming the commands.
    public var text: String

    public init(commands: [[String]], text: String) {
        self.commands = commands
        self.text = text
    }

    static func merge() -> [String] { ["vejamigrate", "merge"] }
    static func rebase(_ fileName: String) -> [String] { ["vejamigrate", "rebase", fileName] }
}

extension RevisionGraph {
    /// The fix for `problem`, one of this graph's problems.
    public func fix(for problem: HistoryProblem) -> HistoryFix {
        switch problem.kind {
        case .multipleHeads:
            var text = "run `vejamigrate merge` to add the migration that joins the heads"
            var commands = [HistoryFix.merge()]
            // With two heads, moving one onto the other leaves one head, when nothing builds on it.
            if heads.count == 2, let i = heads.compactMap({ fileByRevision[$0] }).last(where: canMoveFile),
               let other = heads.first(where: { $0 != files[i].revision }) {
                let name = files[i].fileName
                commands.append(HistoryFix.rebase(name))
                text += "; or, if \(name) is your branch's and not applied anywhere yet, `vejamigrate rebase \(name)` moves it onto \(other)"
            }
            return HistoryFix(commands: commands, text: text)
        case .duplicateSequence:
            let movable = problem.files.compactMap { name in files.firstIndex { $0.fileName == name } }.filter(canMoveFile)
            if let i = movable.last {
                let name = files[i].fileName
                return HistoryFix(
                    commands: [HistoryFix.rebase(name)],
                    text: "if \(name) is not yet shared, `vejamigrate rebase \(name)` gives it the next number and puts it on the current head; "
                        + "otherwise renumber the one that is not shared by hand")
            }
            return HistoryFix(commands: [], text: "by hand: give the migration that is not yet shared the next sequence number (its file name, revision, docstring, and the down_revision of the migrations after it)")
        case .missingDownRevision:
            if let name = problem.files.first, let i = files.firstIndex(where: { $0.fileName == name }), canMoveFile(i) {
                return HistoryFix(
                    commands: [HistoryFix.rebase(name)],
                    text: "if its parent was renamed or rebased, `vejamigrate rebase \(name)` puts it on the current head; "
                        + "otherwise fix its down_revision by hand or restore the missing migration")
            }
            return HistoryFix(commands: [], text: "by hand: fix its down_revision, or restore the missing migration")
        case .duplicateRevision:
            return HistoryFix(commands: [], text: "by hand: give all but one a new revision id (file name, `revision`, the docstring's Revision ID, and the down_revision of the migrations after it)")
        case .cycle:
            return HistoryFix(commands: [], text: "by hand: one of the listed files' down_revision is wrong; point it at its real parent")
        case .unreadableFile:
            return HistoryFix(commands: [], text: "by hand: fix the file, or move it out of the versions directory if it is not a migration")
        case .nameRevisionMismatch:
            return HistoryFix(commands: [], text: "by hand: make the file name, `revision` and the docstring's Revision ID say the same revision")
        }
    }

    /// Whether `vejamigrate rebase` can move file `i`: nothing revises it and the rest of the
    /// history has one clean head.
    func canMoveFile(_ i: Int) -> Bool {
        // What removing the file cannot mend rules it out at once, without a graph of the rest:
        // other heads stay heads, and a problem of other files stays. A history with a thousand
        // orphans costs no thousand graphs.
        let name = files[i].fileName
        if heads.lazy.filter({ $0 != files[i].revision }).count > 1 { return false }
        if chainProblems.contains(where: { $0.kind != .multipleHeads && !$0.files.contains(name) }) { return false }
        if case .success = RebasePlanner.destination(ofFile: i, in: self) { return true }
        return false
    }
}
