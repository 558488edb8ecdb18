/// A problem in the migration history, as `vejamigrate status` reports it.
public struct HistoryProblem: Equatable, Sendable, Codable {
    /// The ways a history can be wrong.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case multipleHeads = "multiple_heads"
        case duplicateSequence = "duplicate_sequence"
        case duplicateRevision = "duplicate_revision"
        case missingDownRevision = "missing_down_revision"
        case cycle
        case unreadableFile = "unreadable_file"
        case nameRevisionMismatch = "name_revision_mismatch"
    }

    public var kind: Kind
    public var message: String
    public var files: [String]
}

/// The revision graph of a versions directory: nodes are revisions, edges point to parents.
///
/// Built in linear time: one pass to index revisions, one to find children,
/// and an iterative walk for cycles, so a history of 10,000 migrations costs
/// no more than reading it.
public struct RevisionGraph: Sendable {
    /// Every migration file, sorted by file name.
    public let files: [MigrationFile]
    /// Revisions that no other migration revises, in file order.
    public let heads: [String]
    /// Everything wrong with the history.
    public let problems: [HistoryProblem]
    /// The highest `NNNNNN` in the file names plus one (1 for an empty directory).
    public let nextSequence: Int
    /// The file that declares each revision (the first one, when duplicated).
    public let fileByRevision: [String: Int]
    /// Parent edges, flat: the parents of file i (indexed files only) are
    /// `parentList[parentStart[i]..<parentStart[i + 1]]` (RevisionGraphQueries.swift reads them).
    let parentStart: [Int]
    let parentList: [Int]

    public init(files: [MigrationFile]) {
        self.files = files
        var problems: [HistoryProblem] = []
        var fileByRevision: [String: Int] = [:]
        fileByRevision.reserveCapacity(files.count)
        var duplicates: [String: [String]] = [:]
        var maxSequence = 0
        for (i, file) in files.enumerated() {
            if let seq = file.nameSequence { maxSequence = max(maxSequence, seq) }
            switch file.header {
            case .failure(let error):
                problems.append(HistoryProblem(
                    kind: .unreadableFile,
                    message: "\(file.fileName): \(error.message); fix the file, or move it out of the versions directory if it is not a migration",
                    files: [file.fileName]))
            case .success(let header):
                guard let revision = header.revision else { continue }
                if let first = fileByRevision[revision] {
                    duplicates[revision, default: [files[first].fileName]].append(file.fileName)
                } else {
                    fileByRevision[revision] = i
                }
                // The rule's own test (check's revision-mismatch); status reports the first of
                // the file name's and the docstring's Revision ID's.
                switch RevisionMismatchRule.mismatches(file).first {
                case .fileName(let implied)?:
                    problems.append(HistoryProblem(
                        kind: .nameRevisionMismatch,
                        message: "\(file.fileName) is named for revision \(implied) but declares revision = \"\(revision)\"; make the file name and `revision` agree",
                        files: [file.fileName]))
                case .docRevisionID(let doc)?:
                    problems.append(HistoryProblem(
                        kind: .nameRevisionMismatch,
                        message: "\(file.fileName) declares revision = \"\(revision)\" but its docstring says Revision ID: \(doc); make them agree",
                        files: [file.fileName]))
                default:
                    break
                }
            }
        }
        self.nextSequence = maxSequence + 1
        self.fileByRevision = fileByRevision

        for (seq, names) in DuplicateSequenceRule.sharedSequences(files) {
            problems.append(HistoryProblem(
                kind: .duplicateSequence,
                message: "sequence \(MigrationNaming.sequenceString(seq)) is used by \(names.count) files (\(names.joined(separator: ", "))); give the one that is not yet shared the next sequence number (its file name, revision, docstring and the down_revision of any migration after it)",
                files: names))
        }
        for (revision, names) in duplicates.sorted(by: { $0.key < $1.key }) {
            problems.append(HistoryProblem(
                kind: .duplicateRevision,
                message: "revision \(revision) is declared by \(names.count) files (\(names.joined(separator: ", "))); give all but one a new revision id",
                files: names))
        }

        // Parents, missing parents and children, over the files that index a revision, in file
        // order. Parent edges are kept flat: the parents of file i are
        // parentList[parentStart[i]..<parentStart[i + 1]].
        var hasChild = [Bool](repeating: false, count: files.count)
        var parentStart = [Int](repeating: 0, count: files.count + 1)
        var parentList: [Int] = []
        parentList.reserveCapacity(files.count)
        for i in files.indices {
            parentStart[i] = parentList.count
            guard case .success(let header) = files[i].header, let revision = header.revision,
                  fileByRevision[revision] == i else { continue }
            for parent in header.downRevisions {
                if let p = fileByRevision[parent] {
                    hasChild[p] = true
                    parentList.append(p)
                } else {
                    problems.append(HistoryProblem(
                        kind: .missingDownRevision,
                        message: "\(files[i].fileName) revises \(parent), which no migration in the versions directory declares; fix its down_revision or restore the missing migration",
                        files: [files[i].fileName]))
                }
            }
        }
        parentStart[files.count] = parentList.count
        self.parentStart = parentStart
        self.parentList = parentList
        problems.append(contentsOf: RevisionGraph.cycles(files: files, parentStart: parentStart, parentList: parentList))

        // Heads: indexed revisions that no indexed file revises, in file order.
        var heads: [String] = []
        for i in files.indices where !hasChild[i] {
            if case .success(let header) = files[i].header, let revision = header.revision, fileByRevision[revision] == i {
                heads.append(revision)
            }
        }
        self.heads = heads
        if heads.count > 1 {
            let listed = heads.map { "\($0) (\(files[fileByRevision[$0]!].fileName))" }
            problems.append(HistoryProblem(
                kind: .multipleHeads,
                message: "the history has \(heads.count) heads: \(listed.joined(separator: ", ")); join them with `vejamigrate merge` (or `vejamigrate rebase FILE` for a migration not yet shared), or name the parent with --head REV",
                files: heads.map { files[fileByRevision[$0]!].fileName }))
        }
        let order = Dictionary(uniqueKeysWithValues: HistoryProblem.Kind.allCases.enumerated().map { ($1, $0) })
        self.problems = problems.sorted { (order[$0.kind]!, $0.files.first ?? "") < (order[$1.kind]!, $1.files.first ?? "") }
    }

    /// Whether nothing is wrong.
    public var isHealthy: Bool { problems.isEmpty }

    /// Problems that make the parent of a new migration uncertain.
    public var chainProblems: [HistoryProblem] {
        problems.filter { [.multipleHeads, .missingDownRevision, .cycle, .duplicateRevision, .unreadableFile].contains($0.kind) }
    }

    /// The file that declares `revision`.
    public func file(for revision: String) -> MigrationFile? {
        fileByRevision[revision].map { files[$0] }
    }

    /// Finds every cycle with an iterative three-colour walk over parent edges.
    private static func cycles(files: [MigrationFile], parentStart: [Int], parentList: [Int]) -> [HistoryProblem] {
        var colour = [UInt8](repeating: 0, count: files.count)  // 0 new, 1 on stack, 2 done
        var problems: [HistoryProblem] = []
        // Starts from every file with a parent, in file order.
        for start in files.indices where parentStart[start] < parentStart[start + 1] && colour[start] == 0 {
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            colour[start] = 1
            while let top = stack.last {
                let first = parentStart[top.node]
                if first + top.next < parentStart[top.node + 1] {
                    stack[stack.count - 1].next += 1
                    let p = parentList[first + top.next]
                    if colour[p] == 0 {
                        colour[p] = 1
                        stack.append((p, 0))
                    } else if colour[p] == 1 {
                        let loop = stack.drop { $0.node != p }.map { files[$0.node] }
                        let revisions = loop.compactMap(\.revision) + [files[p].revision ?? "?"]
                        problems.append(HistoryProblem(
                            kind: .cycle,
                            message: "revisions form a cycle: \(revisions.joined(separator: " -> ")); one of these down_revision values is wrong",
                            files: loop.map(\.fileName)))
                    }
                } else {
                    colour[top.node] = 2
                    stack.removeLast()
                }
            }
        }
        return problems
    }
}
