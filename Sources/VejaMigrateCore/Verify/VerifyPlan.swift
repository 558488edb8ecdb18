import Foundation

/// Where `vejamigrate verify` runs the migration.
public enum VerifyDatabase: Equatable, Sendable {
    /// A server the user names: a temporary database is created on it and dropped after.
    case postgres(url: String)
    /// A throwaway PostgreSQL cluster (`initdb`, `pg_ctl`) on a unix socket in a temporary directory.
    case postgresCluster
    /// A temporary SQLite file.
    case sqlite

    /// The default when neither `--postgres` nor `--sqlite` is given: a throwaway PostgreSQL
    /// cluster when its binaries are installed (the schema `vejamigrate schema` reads is
    /// PostgreSQL's), else SQLite.
    public static func defaultChoice(postgresBinariesFound: Bool) -> VerifyDatabase {
        postgresBinariesFound ? .postgresCluster : .sqlite
    }

    /// Whether the database is PostgreSQL (the static schema is compared fact by fact only there).
    public var isPostgres: Bool {
        if case .sqlite = self { return false }
        return true
    }
}

/// One step of a verification, in the order they run.
public enum VerifyStep: Equatable, Sendable {
    /// Build the database at the migration's parents by running the history (nothing to run at base).
    case upgradeToParent([String])
    /// Upgrade to the migration.
    case upgrade(String)
    /// Downgrade the migration: back to its parents.
    case downgrade(String, to: [String])
    /// Upgrade to the migration a second time.
    case upgradeAgain(String)
    /// The schema after the downgrade equals the one before (checked before upgrading again, which
    /// a table left behind would make fail for the wrong reason).
    case compareDowngrade
    /// The second upgrade builds the first's schema.
    case compareUpgradeAgain
    /// The schema after the upgrade compared with what `vejamigrate schema` reads (warnings only).
    case compareStatic

    /// The line the step is reported by, e.g. `upgrade to parent 20250101_000004`.
    public var title: String {
        switch self {
        case .upgradeToParent(let parents):
            return parents.isEmpty ? "empty database (the migration has no parent)" : "upgrade to parent " + parents.joined(separator: ", ")
        case .upgrade(let r): return "upgrade to \(r)"
        case .downgrade(_, let parents): return "downgrade to " + (parents.isEmpty ? "base" : parents.joined(separator: ", "))
        case .upgradeAgain(let r): return "upgrade to \(r) again"
        case .compareDowngrade: return "downgrade restored the schema"
        case .compareUpgradeAgain: return "second upgrade built the same schema"
        case .compareStatic: return "schema matches what `vejamigrate schema` reads"
        }
    }

    /// The Alembic command the step runs and reflects after, as the step script's arguments;
    /// nil for the comparisons, which run in Swift over the reflected schemas.
    public var alembicArguments: [String]? {
        switch self {
        case .upgradeToParent(let parents): return ["upgrade"] + parents
        case .upgrade(let r), .upgradeAgain(let r): return ["upgrade", r]
        // Relative to the one head the database has: a merge goes back to all of its parents.
        case .downgrade: return ["downgrade", "-1"]
        case .compareDowngrade, .compareUpgradeAgain, .compareStatic: return nil
        }
    }
}

/// What `verify` will do for one migration: the steps, from the history alone.
public struct VerifyPlan: Equatable, Sendable {
    public var revision: String
    public var fileName: String
    public var parents: [String]
    public var steps: [VerifyStep]

    /// The plan for `revision` (default: the single head).
    ///
    /// ```swift
    /// let plan = try VerifyPlan.make(graph: history.graph, revision: nil)
    /// plan.steps.map(\.title)  // ["upgrade to parent 20250101_000004", "upgrade to 20250101_000005", ...]
    /// ```
    public static func make(graph: RevisionGraph, revision: String?) throws(VerifyProblem) -> VerifyPlan {
        let target: String
        if let revision {
            guard graph.fileByRevision[revision] != nil else {
                throw .unknownRevision(revision, heads: graph.heads)
            }
            target = revision
        } else {
            guard graph.heads.count == 1, let head = graph.heads.first else {
                throw .noSingleHead(graph.heads)
            }
            target = head
        }
        // Several heads are fine once REV is named: Alembic runs one branch at a time.
        if let chain = graph.chainProblems.first(where: { $0.kind != .multipleHeads }) {
            throw .history(chain.message)
        }
        let file = graph.files[graph.fileByRevision[target]!]
        let parents = (try? file.header.get().downRevisions) ?? []
        return VerifyPlan(
            revision: target, fileName: file.fileName, parents: parents,
            steps: [
                .upgradeToParent(parents), .upgrade(target), .downgrade(target, to: parents), .compareDowngrade,
                .upgradeAgain(target), .compareUpgradeAgain, .compareStatic,
            ])
    }
}

/// Why `verify` could not start or what stopped it before the steps, each with its exit code.
public enum VerifyProblem: Error, Equatable, Sendable {
    case unknownRevision(String, heads: [String])
    case noSingleHead([String])
    case history(String)
    /// No Python could be run: the candidates tried, in order.
    case noPython(tried: [String])
    /// The Python runs but lacks modules (`alembic`, `sqlalchemy`).
    case pythonLacks(python: String, modules: [String])
    /// A PostgreSQL URL, but neither psycopg (3) nor psycopg2 in that Python.
    case noPostgresDriver(python: String)
    /// `--postgres auto` without `initdb`/`pg_ctl`.
    case noPostgresBinaries(looked: [String])
    /// The cluster or the server could not be used (the tool's own error text).
    case database(String)
    /// A temporary directory or file could not be made.
    case io(String)

    /// 2 for what is missing (Python, Alembic, a database) or a usage error, 3 for the history.
    public var exitCode: Int32 {
        switch self {
        case .noSingleHead, .history: return 3
        case .io: return 4
        default: return 2
        }
    }

    /// The message for standard error, with the fix.
    public var message: String {
        switch self {
        case .unknownRevision(let r, let heads):
            return "revision \(r) is not in the history; name one of its revisions (heads: \(heads.joined(separator: ", ")))"
        case .noSingleHead(let heads):
            return heads.isEmpty
                ? "the history has no migrations to verify"
                : "the history has several heads (\(heads.joined(separator: ", "))); name the one to verify: vejamigrate verify REV"
        case .history(let text):
            return "the history cannot be run: \(text)"
        case .noPython(let tried):
            return "no Python found (tried \(tried.joined(separator: ", "))); pass --python PATH or activate the project's virtual environment"
        case .pythonLacks(let python, let modules):
            return "\(python) has no \(modules.joined(separator: " and ")); install them (\(python) -m pip install \(modules.joined(separator: " "))) or pass --python PATH of the project's environment"
        case .noPostgresDriver(let python):
            return "\(python) has no PostgreSQL driver; install one (\(python) -m pip install 'psycopg[binary]') or use --sqlite"
        case .noPostgresBinaries(let looked):
            return "--postgres auto needs PostgreSQL's initdb and pg_ctl (looked in \(looked.joined(separator: ", ")) and PATH); install them (apt-get install postgresql), pass --postgres URL, or use --sqlite"
        case .database(let text):
            return "the database could not be prepared: \(text)"
        case .io(let text):
            return text
        }
    }
}
