/// `revision-mismatch`: the file name, `revision`, the docstring's `Revision ID:` and its
/// `Revises:` do not say the same. `RevisionGraph` reports the first two as `status`'s
/// `name_revision_mismatch` through `mismatches(_:)`, the one test of them.
struct RevisionMismatchRule: CheckRule {
    let id = "revision-mismatch"
    let severity = CheckSeverity.warning
    let summary = "the file name, revision and docstring disagree"

    enum Mismatch: Equatable {
        /// The revision the file name implies.
        case fileName(String)
        /// The docstring's `Revision ID:`.
        case docRevisionID(String)
        /// The docstring's `Revises:`.
        case docRevises([String])
    }

    /// What disagrees with `revision` in `file`, the file name first.
    static func mismatches(_ file: MigrationFile) -> [Mismatch] {
        guard case .success(let header) = file.header, let revision = header.revision else { return [] }
        var out: [Mismatch] = []
        if let implied = MigrationFileName.impliedRevision(file.fileName), implied != revision { out.append(.fileName(implied)) }
        if let doc = header.docRevisionID, doc != revision { out.append(.docRevisionID(doc)) }
        if let revises = header.docRevises, header.declaresDownRevision, Set(revises.filter { $0 != "None" && !$0.isEmpty }) != Set(header.downRevisions) {
            out.append(.docRevises(revises))
        }
        return out
    }

    func findings(in context: CheckContext) -> [CheckFinding] {
        var out: [CheckFinding] = []
        for (i, file) in context.graph.files.enumerated() where context.reports(file.fileName) {
            guard let header = try? file.header.get(), let revision = header.revision else { continue }
            for m in Self.mismatches(file) {
                var d = ["revision": revision]
                switch m {
                case .fileName(let implied): d["kind"] = "file-name"; d["other"] = implied
                case .docRevisionID(let doc): d["kind"] = "revision-id"; d["other"] = doc
                case .docRevises(let revises):
                    d["kind"] = "revises"
                    d["other"] = revises.joined(separator: ", ")
                    d["down"] = header.downRevisions.isEmpty ? "None" : header.downRevisions.joined(separator: ", ")
                }
                out.append(finding(file.fileName, context.revisionLine(i), d))
            }
        }
        return out
    }

    func words(_ d: [String: String]) -> CheckWords {
        let revision = d["revision"] ?? "", other = d["other"] ?? ""
        switch d["kind"] {
        case "file-name":
            return CheckWords("the file is named for revision \(other) but declares revision = \"\(revision)\"",
                              fix: "make the file name and `revision` agree (rename the file, or set revision = \"\(other)\" and the docstring's Revision ID with it)")
        case "revision-id":
            return CheckWords("revision = \"\(revision)\" but the docstring says Revision ID: \(other)", fix: "set the docstring's Revision ID: to \(revision)")
        default:
            return CheckWords("the docstring says Revises: \(other) but down_revision is \(d["down"] ?? "")", fix: "set the docstring's Revises: to \(d["down"] ?? "")")
        }
    }
}
