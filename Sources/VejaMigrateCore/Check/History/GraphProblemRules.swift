/// `multiple-heads`: more than one migration that nothing revises.
struct MultipleHeadsRule: CheckRule {
    let id = "multiple-heads"
    let severity = CheckSeverity.critical
    let summary = "the history has more than one head"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.graphProblems(.multipleHeads) { p, name, i in
            finding(name, context.revisionLine(i), ["heads": context.graph.heads.joined(separator: ", "), "count": String(context.graph.heads.count)])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("this migration is one of \(d["count"] ?? "several") heads (\(d["heads"] ?? ""))",
                   fix: "run `vejamigrate merge` to join the heads, or `vejamigrate rebase FILE` to move a migration not yet shared onto the other head")
    }
}

/// `duplicate-sequence`: two file names share one `NNNNNN`. The graph finds them with `sharedSequences`.
struct DuplicateSequenceRule: CheckRule {
    let id = "duplicate-sequence"
    let severity = CheckSeverity.warning
    let summary = "two files share a sequence number"

    /// Each sequence used by more than one file name, with those names, in sequence order.
    static func sharedSequences(_ files: [MigrationFile]) -> [(Int, [String])] {
        var first: [Int: Int] = [:]
        first.reserveCapacity(files.count)
        var shared: [Int: [String]] = [:]
        for (i, file) in files.enumerated() {
            guard let seq = file.nameSequence else { continue }
            if let f = first[seq] {
                shared[seq, default: [files[f].fileName]].append(file.fileName)
            } else {
                first[seq] = i
            }
        }
        return shared.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.graphProblems(.duplicateSequence) { p, name, i in
            finding(name, context.revisionLine(i), ["others": p.files.filter { $0 != name }.joined(separator: ", ")])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("its sequence number is also used by \(d["others"] ?? "another file")",
                   fix: "`vejamigrate rebase FILE` renumbers the migration that is not yet shared and puts it on the head")
    }
}

/// `duplicate-revision`: two files declare the same `revision`.
struct DuplicateRevisionRule: CheckRule {
    let id = "duplicate-revision"
    let severity = CheckSeverity.critical
    let summary = "two files declare the same revision"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.graphProblems(.duplicateRevision) { p, name, i in
            finding(name, context.revisionLine(i), ["revision": context.graph.files[i].revision ?? "", "others": p.files.filter { $0 != name }.joined(separator: ", ")])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("revision \(d["revision"] ?? "") is also declared by \(d["others"] ?? "another file")",
                   fix: "give all but one a new revision id (file name, `revision`, the docstring's Revision ID, and the down_revision of the migrations after it)")
    }
}

/// `missing-down-revision`: `down_revision` names a revision no file declares.
struct MissingDownRevisionRule: CheckRule {
    let id = "missing-down-revision"
    let severity = CheckSeverity.critical
    let summary = "down_revision names a revision that does not exist"

    func findings(in context: CheckContext) -> [CheckFinding] {
        var out: [CheckFinding] = []
        var seen = Set<String>()
        for p in context.graph.problems where p.kind == .missingDownRevision {
            guard let name = p.files.first, context.reports(name), seen.insert(name).inserted, let i = context.fileIndex(name),
                  let header = try? context.graph.files[i].header.get() else { continue }
            let missing = header.downRevisions.filter { context.graph.fileByRevision[$0] == nil }
            out.append(finding(name, context.downRevisionLine(i), ["missing": missing.joined(separator: ", ")]))
        }
        return out
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("down_revision names \(d["missing"] ?? "a revision"), which no migration declares",
                   fix: "point down_revision at the real parent, restore the missing migration, or `vejamigrate rebase FILE` to put it on the head")
    }
}

/// `revision-cycle`: following `down_revision` comes back to where it started.
struct RevisionCycleRule: CheckRule {
    let id = "revision-cycle"
    let severity = CheckSeverity.critical
    let summary = "the revisions form a cycle"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.graphProblems(.cycle) { p, name, i in
            finding(name, context.downRevisionLine(i), ["files": p.files.joined(separator: ", ")])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("this migration is in a cycle of revisions (\(d["files"] ?? ""))", fix: "one of these down_revision values is wrong: point it at its real parent")
    }
}

/// `unreadable-file`: the header cannot be read statically.
struct UnreadableFileRule: CheckRule {
    let id = "unreadable-file"
    let severity = CheckSeverity.critical
    let summary = "the file's header cannot be read"

    func findings(in context: CheckContext) -> [CheckFinding] {
        context.graph.files.compactMap { file in
            guard context.reports(file.fileName), case .failure(let error) = file.header else { return nil }
            var line = 1
            if case .unterminatedString(let l) = error { line = l }
            if case .unsupportedValue(_, let l) = error { line = l }
            return finding(file.fileName, line, ["error": error.message])
        }
    }

    func words(_ d: [String: String]) -> CheckWords {
        CheckWords("the header cannot be read: \(d["error"] ?? "")", fix: "fix the file, or move it out of the versions directory if it is not a migration")
    }
}
