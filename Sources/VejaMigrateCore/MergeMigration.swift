/// Plans the migration that joins the heads of a history (`vejamigrate merge`), the way
/// `alembic merge heads` does: `down_revision` is the tuple of the heads, the bodies are empty,
/// and the file follows our naming and the seed's template.
public enum MergePlanner {
    /// The description when none is given, as in `alembic merge -m "merge heads" heads`.
    public static let defaultDescription = "merge heads"

    /// The merge migration, or nil when the history has one head or none (nothing to merge).
    /// Stops (exit 3) when the history has problems a merge does not fix: a missing parent,
    /// a cycle, a duplicate revision or an unreadable file.
    ///
    /// ```swift
    /// let planned = try MergePlanner.plan(description: nil, date: today, graph: graph)
    /// planned?.downRevisions   // the heads, in file order
    /// ```
    public static func plan(
        description: String?, date: MigrationDate, graph: RevisionGraph, lineLength: Int = MigrationRenderer.defaultLineLength
    ) throws(VejaMigrateError) -> PlannedMigration? {
        let text = (description ?? defaultDescription).trimmed(" \t\r\n")
        if text.isEmpty {
            throw .invalidInput([SpecIssue(field: "description", problem: "is empty", fix: "leave it out for \"\(defaultDescription)\", or describe the merge in words")])
        }
        let slug = try MigrationNaming.slug(text)
        let blocking = graph.chainProblems.filter { $0.kind != .multipleHeads }
        if !blocking.isEmpty {
            var out = "the history has problems that a merge does not fix; nothing was written:\n"
            out += blocking.map { "  - \($0.kind.rawValue): \($0.message)" }.joined(separator: "\n")
            throw .history(out)
        }
        guard graph.heads.count > 1 else { return nil }
        let revision = MigrationNaming.revisionID(date: date, sequence: graph.nextSequence)
        let header = MigrationHeaderFields(description: text, revision: revision, downRevisions: graph.heads, date: date)
        return PlannedMigration(
            fileName: MigrationNaming.fileName(date: date, sequence: graph.nextSequence, slug: slug),
            revision: revision,
            downRevisions: graph.heads,
            python: MigrationRenderer.mergePython(header: header, lineLength: lineLength),
            sql: "")
    }
}
