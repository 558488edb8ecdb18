/// A migration moved onto the current head, ready to write (`vejamigrate rebase FILE`).
public struct PlannedRebase: Equatable, Sendable {
    public var oldFileName: String
    public var oldRevision: String
    public var oldDownRevisions: [String]
    public var fileName: String
    public var revision: String
    public var downRevisions: [String]
    /// The new file: the old one with only the header's values replaced.
    public var bytes: [UInt8]
}

/// What `vejamigrate rebase` does with a migration.
public enum RebaseOutcome: Equatable, Sendable {
    case rebased(PlannedRebase)
    /// Nothing to do: the migration revises the only other head already and has the highest number.
    case alreadyOnHead(revision: String, head: String?)
}

/// Moves a migration that is not yet shared onto the head of the rest of the history: the next
/// sequence number, today's date, a new file name, and `revision`, `down_revision` and the
/// docstring's `Revision ID:`, `Revises:` and `Create Date:` rewritten where they stand (the
/// header's byte spans); every other byte is kept.
public enum RebasePlanner {
    /// Where file `i` would go: the head of the history without it. Fails (exit 3) when another
    /// migration revises it, when it cannot be read, or when the rest of the history has no
    /// single clean head to go onto.
    public static func destination(ofFile i: Int, in graph: RevisionGraph) -> Result<(head: String?, rest: RevisionGraph), VejaMigrateError> {
        let file = graph.files[i]
        guard case .success(let header) = file.header, let revision = header.revision else {
            let reason = (try? file.header.get()) == nil ? "cannot be read" : "declares no revision"
            return .failure(.history("\(file.fileName) \(reason); fix it before moving it"))
        }
        // Another migration that names it, as its parent or in depends_on, would lose it.
        func names(_ j: Int, _ list: KeyPath<MigrationHeader, [String]>) -> Bool {
            j != i && ((try? graph.files[j].header.get())?[keyPath: list].contains(revision) ?? false)
        }
        for (list, verb) in [(\MigrationHeader.downRevisions, "is revised by"), (\MigrationHeader.dependsOn, "is in the depends_on of")] {
            let others = graph.files.indices.filter { names($0, list) }
            if !others.isEmpty {
                let listed = others.map { graph.files[$0].fileName }.joined(separator: ", ")
                return .failure(.history(
                    "\(file.fileName) \(verb) \(listed): another migration builds on it, so it is not moved; "
                        + "join the heads with `vejamigrate merge` instead"))
            }
        }
        var others = graph.files
        others.remove(at: i)
        let rest = RevisionGraph(files: others)
        let blocking = rest.chainProblems
        if !blocking.isEmpty {
            var text = "without \(file.fileName), the history has no single head to move it onto; nothing was written:\n"
            text += blocking.map { "  - \($0.kind.rawValue): \($0.message)" }.joined(separator: "\n")
            return .failure(.history(text))
        }
        return .success((rest.heads.first, rest))
    }

    /// Plans the move of `fileName` (a file of `graph`, whose bytes are `bytes`) to the head of the rest.
    ///
    /// ```swift
    /// if case .rebased(let planned) = try RebasePlanner.plan(fileName: name, bytes: bytes, graph: graph, date: today) {
    ///     try MigrationWriter.write(bytes: planned.bytes, to: dir.url, fileName: planned.fileName)
    /// }
    /// ```
    public static func plan(fileName: String, bytes: [UInt8], graph: RevisionGraph, date: MigrationDate) throws(VejaMigrateError) -> RebaseOutcome {
        guard let i = graph.files.firstIndex(where: { $0.fileName == fileName }) else {
            throw .invalidInput([SpecIssue(field: "FILE", problem: "\(fileName) is not a migration in the versions directory", fix: "name one of its files, or its revision")])
        }
        let (head, rest) = try destination(ofFile: i, in: graph).get()
        let header: MigrationHeader
        let spans: MigrationHeaderSpans
        do throws(HeaderReadError) {
            (header, spans) = try MigrationHeaderReader.readWithSpans(bytes: bytes)
        } catch {
            throw .history("\(fileName): \(error.message); fix it before moving it")
        }
        guard let oldRevision = header.revision, let revisionSpan = spans.revision else {
            throw .history("\(fileName) declares no revision; fix it before moving it")
        }
        guard let downSpan = spans.downRevision else {
            throw .history("\(fileName) has no module-level `down_revision = ...`; add it (Alembic needs it) and run the rebase again")
        }
        let target = head.map { [$0] } ?? []
        let sequence = rest.nextSequence
        let file = graph.files[i]
        if header.downRevisions == target, let own = file.nameSequence, own >= sequence,
           MigrationFileName.impliedRevision(fileName) == oldRevision, (header.docRevisionID ?? oldRevision) == oldRevision {
            return .alreadyOnHead(revision: oldRevision, head: head)
        }
        let revision = MigrationNaming.revisionID(date: date, sequence: sequence)
        if let taken = rest.file(for: revision) {
            throw .history("revision \(revision) is declared by \(taken.fileName) already; pass another --date or rename that file")
        }
        let newName = MigrationNaming.fileName(date: date, sequence: sequence, slug: slug(of: file, header: header))

        // Each string keeps the quote the file used for `revision`.
        let quote = bytes[revisionSpan].first { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") } ?? UInt8(ascii: "\"")
        func literal(_ s: String) -> [UInt8] { [quote] + Array(s.utf8) + [quote] }
        var edits: [(Range<Int>, [UInt8])] = [
            (revisionSpan, literal(revision)),
            (downSpan, head.map(literal) ?? Array("None".utf8)),
        ]
        func docValue(_ span: Range<Int>?, _ value: String) {
            guard let span else { return }
            // A field written without a value ("Revises:") gets the space the template has.
            edits.append((span, Array(((span.isEmpty ? " " : "") + value).utf8)))
        }
        docValue(spans.docRevisionID, revision)
        docValue(spans.docRevises, head ?? "None")
        docValue(spans.docCreateDate, date.description)
        edits.sort { $0.0.lowerBound < $1.0.lowerBound }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var at = 0
        for (span, replacement) in edits {
            guard span.lowerBound >= at else {
                throw .history("\(fileName): its header fields overlap (\(span)); edit it by hand")
            }
            out.append(contentsOf: bytes[at..<span.lowerBound])
            out.append(contentsOf: replacement)
            at = span.upperBound
        }
        out.append(contentsOf: bytes[at...])
        // The new header must say what was meant; anything else is a bug, never a file to write.
        let check = try? MigrationHeaderReader.read(bytes: out)
        // (A docstring field written through an escape, `"x\nRevision ID: ..."`, has no span of its own.)
        guard let check, check.revision == revision, check.downRevisions == target, (check.docRevisionID ?? revision) == revision else {
            throw .history("\(fileName): the rewritten header does not read back as revision \(revision); edit it by hand")
        }
        return .rebased(PlannedRebase(
            oldFileName: fileName, oldRevision: oldRevision, oldDownRevisions: header.downRevisions,
            fileName: newName, revision: revision, downRevisions: target, bytes: out))
    }

    /// The slug of the new name: the old conventional name's, else the docstring's description,
    /// else the old name's.
    static func slug(of file: MigrationFile, header: MigrationHeader) -> String {
        let name = file.fileName
        let u = Array(name.utf8)
        if file.nameSequence != nil, u.count > 19, u[15] == UInt8(ascii: "_") {
            return String(decoding: u[16..<(u.count - 3)], as: UTF8.self)
        }
        for text in [header.docDescription, String(name.dropLast(3))].compactMap({ $0 }) {
            if let s = try? MigrationNaming.slug(text) { return s }
        }
        return "migration"
    }
}
