import Foundation

/// What the user asks for: the inputs of `vejamigrate new` and of the wizard.
public struct MigrationRequest: Equatable, Sendable {
    /// The description from the command line; wins over the spec's.
    public var description: String?
    /// The spec, or nil for the seed's empty template.
    public var spec: MigrationSpec?
    /// "Today".
    public var date: MigrationDate
    /// The parent to use when the history has several heads.
    public var head: String?
    /// The project's line length (`ProjectSettings.lineLength`): the width the file is laid out in.
    public var lineLength: Int
    /// Whether changes are lock-safe when neither the spec nor the operation says (`[tool.vejamigrate] safe`).
    public var safeByDefault: Bool

    public init(
        description: String? = nil, spec: MigrationSpec? = nil, date: MigrationDate, head: String? = nil,
        lineLength: Int = MigrationRenderer.defaultLineLength, safeByDefault: Bool = true
    ) {
        self.description = description
        self.spec = spec
        self.date = date
        self.head = head
        self.lineLength = lineLength
        self.safeByDefault = safeByDefault
    }

    /// The request with the project's settings: its line length, and its default for `safe`.
    public func following(_ settings: ProjectSettings) -> MigrationRequest {
        var r = self
        r.lineLength = settings.lineLength
        r.safeByDefault = settings.safe
        return r
    }
}

/// A migration ready to write: its name, place in the history, and text.
public struct PlannedMigration: Equatable, Sendable {
    public var fileName: String
    public var revision: String
    public var downRevisions: [String]
    public var python: String
    public var sql: String
    /// What the history cannot confirm (tables touched by raw SQL): print, but write anyway.
    public var warnings: [SpecIssue] = []
}

/// Plans the next migration on top of a history: the single place where the CLI and the wizard meet.
public enum MigrationPlanner {
    /// The parent revisions of the next migration, or why there is no single answer.
    public static func parents(in graph: RevisionGraph, head: String?) throws(VejaMigrateError) -> [String] {
        if let head {
            guard graph.fileByRevision[head] != nil else {
                throw .invalidInput([SpecIssue(field: "--head", problem: "\(head) is not a revision in the versions directory", fix: "use one of the heads: " + graph.heads.joined(separator: ", "))])
            }
            if !graph.heads.contains(head) {
                throw .invalidInput([SpecIssue(field: "--head", problem: "\(head) is not a head (another migration revises it already)", fix: "use one of the heads: " + graph.heads.joined(separator: ", "))])
            }
            return [head]
        }
        let blocking = graph.chainProblems
        if !blocking.isEmpty {
            var text = "the history has problems, so the parent of a new migration is not certain; nothing was written:\n"
            text += blocking.map { "  - \($0.kind.rawValue): \($0.message)" }.joined(separator: "\n")
            if graph.heads.count > 1 {
                text += "\nheads:\n" + graph.heads.map { "  \($0)  \(graph.file(for: $0)!.fileName)" }.joined(separator: "\n")
            }
            throw .history(text)
        }
        return graph.heads
    }

    /// Validates the request, plans it and renders the next migration. With `schema` (the history read
    /// whole, `VersionsDirectory.readHistory()`), the spec is lowered against the tables and columns the
    /// history has (`MigrationPlan`), which also rebuilds the downgrades: errors stop, warnings are returned.
    public static func plan(_ request: MigrationRequest, graph: RevisionGraph, schema: HistorySchema? = nil) throws(VejaMigrateError) -> PlannedMigration {
        let spec = request.spec ?? MigrationSpec()
        let description = (request.description ?? spec.description)?.trimmed(" \t\r\n")
        var issues = SpecValidator.issues(in: spec, description: description ?? "")
        var warnings: [SpecIssue] = []
        // Each operation lowered into steps against the schema the earlier ones leave.
        let plan = MigrationPlan(spec, schema: schema, safeByDefault: request.safeByDefault)
        if schema != nil, !spec.operations.isEmpty {
            issues += plan.errors
            warnings = plan.warnings
        }
        var slug = ""
        if let description, !description.isEmpty {
            do throws(VejaMigrateError) {
                slug = try MigrationNaming.slug(description)
            } catch {
                if case .invalidInput(let more) = error { issues += more }
            }
        }
        if !issues.isEmpty { throw .invalidInput(SpecIssue.inFieldOrder(issues)) }
        let parents = try parents(in: graph, head: request.head)
        let sequence = graph.nextSequence
        let revision = MigrationNaming.revisionID(date: request.date, sequence: sequence)
        let header = MigrationHeaderFields(description: description!, details: spec.details, revision: revision, downRevisions: parents, date: request.date)
        return PlannedMigration(
            fileName: MigrationNaming.fileName(date: request.date, sequence: sequence, slug: slug),
            revision: revision,
            downRevisions: parents,
            python: MigrationRenderer.python(header: header, plan: plan, lineLength: request.lineLength),
            sql: SQLRenderer.sql(plan: plan, revision: revision),
            warnings: warnings)
    }

    /// The seed's two reminders after a file is written.
    public static func reminders(repositoryPath: String) -> [String] {
        [
            "Run `/test` to verify the migration applies cleanly against SQLite test DB.",
            "Deploy to server with `/deploy \(repositoryPath)`.",
        ]
    }
}
