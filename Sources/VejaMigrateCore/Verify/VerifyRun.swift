import Foundation

/// What a verification reports as it runs; the CLI prints each as a line, the wizard shows them.
public enum VerifyEvent: Equatable, Sendable {
    /// A fact about the run before the steps: which Python, which database.
    case note(String)
    /// Step `index` (0-based) of `total` begins.
    case stepStarted(index: Int, total: Int, title: String)
    /// Step `index` ended after `seconds`.
    case stepFinished(index: Int, total: Int, title: String, seconds: Double, outcome: VerifyStepOutcome)
    /// The run ended (after the database was dropped or the cluster stopped).
    case finished(VerifyResult)
    /// The run could not start (no Python with Alembic, no database): the wizard shows it; the CLI
    /// exits with its code instead.
    case stopped(VerifyProblem)
}

/// How one step ended.
public enum VerifyStepOutcome: Equatable, Sendable {
    case ok
    /// Passed with warnings (the static comparison).
    case warnings(Int)
    /// Failed: what went wrong, e.g. Alembic's standard error, last lines.
    case failed(String)

    public var word: String {
        switch self {
        case .ok: return "ok"
        case .warnings(let n): return "warning (\(n) difference\(n == 1 ? "" : "s"))"
        case .failed: return "FAILED"
        }
    }
}

/// The end of a verification.
public struct VerifyResult: Equatable, Sendable {
    public var revision: String
    public var database: String
    /// The step that failed (0-based) and why, nil when every step passed.
    public var failedStep: Int?
    public var failure: VerifyFailure?
    /// Differences between the database and the static reader: warnings, not failures.
    public var staticDifferences: [SchemaDifference]
    /// How many steps the plan has (those after a failure are not run).
    public var totalSteps = 0
    /// Steps run and how long each took.
    public var steps: [(title: String, seconds: Double, outcome: VerifyStepOutcome)]

    public init(revision: String, database: String) {
        self.revision = revision
        self.database = database
        self.failedStep = nil
        self.failure = nil
        self.staticDifferences = []
        self.steps = []
    }

    public var passed: Bool { failure == nil }
    /// 0 when every step passed, 5 when one failed (the contract's codes).
    public var exitCode: Int32 { passed ? 0 : 5 }

    public static func == (a: VerifyResult, b: VerifyResult) -> Bool {
        a.revision == b.revision && a.database == b.database && a.failedStep == b.failedStep && a.failure == b.failure
            && a.staticDifferences == b.staticDifferences && a.steps.map(\.title) == b.steps.map(\.title)
            && a.steps.map(\.outcome) == b.steps.map(\.outcome)
    }
}

/// Why a step failed.
public enum VerifyFailure: Equatable, Sendable {
    /// Alembic (or the reflection after it) exited non-zero: its exit status and standard error's tail.
    case alembic(status: Int32, errorTail: String)
    /// The step script printed no schema.
    case unreadableReflection(String)
    /// The downgrade did not leave the schema as it found it: the differing facts (before vs after the downgrade).
    case downgradeChangedSchema([SchemaDifference])
    /// The second upgrade built a different schema from the first's.
    case reupgradeDiffers([SchemaDifference])
    /// Interrupted (Ctrl-C): the database was still removed.
    case interrupted

    /// What went wrong, in lines for a terminal.
    public var lines: [String] {
        switch self {
        case .alembic(let status, let tail):
            return ["Alembic exited with status \(status):"] + tail.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        case .unreadableReflection(let text):
            return ["the schema could not be read back: \(text)"]
        case .downgradeChangedSchema(let d):
            return ["the downgrade did not restore the schema (\(d.count) difference\(d.count == 1 ? "" : "s")):"]
                + d.map { "  " + $0.describe(expectedName: "before the upgrade", actualName: "after the downgrade") }
        case .reupgradeDiffers(let d):
            return ["the second upgrade built a different schema (\(d.count) difference\(d.count == 1 ? "" : "s")):"]
                + d.map { "  " + $0.describe(expectedName: "after the first upgrade", actualName: "after the second") }
        case .interrupted:
            return ["interrupted"]
        }
    }
}

/// The checks over the reflected schemas: pure, so tests and front ends share them.
public enum VerifyChecks {
    /// The downgrade check: the schema before the upgrade against the one after the downgrade.
    public static func downgrade(before: ReflectedSchema, afterDowngrade: ReflectedSchema) -> VerifyFailure? {
        let back = SchemaFacts.differences(expected: SchemaFacts.of(before), actual: SchemaFacts.of(afterDowngrade))
        return back.isEmpty ? nil : .downgradeChangedSchema(back)
    }

    /// The first upgrade's schema against the second's.
    public static func upgradeAgain(first: ReflectedSchema, second: ReflectedSchema) -> VerifyFailure? {
        let again = SchemaFacts.differences(expected: SchemaFacts.of(first), actual: SchemaFacts.of(second))
        return again.isEmpty ? nil : .reupgradeDiffers(again)
    }

    /// The database after the upgrade against what `vejamigrate schema` reads at the revision:
    /// every fact on PostgreSQL, only tables and columns on SQLite (whose reflection keeps neither
    /// PostgreSQL's types nor its defaults). Expected is the database's side.
    public static func staticReader(database: ReflectedSchema, history: HistorySchema) -> [SchemaDifference] {
        let depth: SchemaFacts.Depth = database.dialect == "postgresql" ? .full : .tablesAndColumns
        var reflected = database
        if depth == .tablesAndColumns { reflected.enums = [:] }
        return SchemaFacts.differences(
            expected: SchemaFacts.of(reflected, depth: depth, normalise: true), actual: SchemaFacts.of(history, depth: depth))
    }
}

/// Which Python runs the project's Alembic, in the contract's order.
public enum VerifyPython {
    /// The candidates, first that exists wins: `--python`; else `$VIRTUAL_ENV/bin/python`; else
    /// `.venv/bin/python` and `venv/bin/python` at the top of the repository; else `python3`
    /// from PATH.
    public static func candidates(flag: String?, virtualEnv: String?, repositoryTop: String?) -> [String] {
        if let flag { return [flag] }
        var out: [String] = []
        if let v = virtualEnv, !v.isEmpty { out.append(v + "/bin/python") }
        if let top = repositoryTop {
            out.append(top + "/.venv/bin/python")
            out.append(top + "/venv/bin/python")
        }
        out.append("python3")
        return out
    }
}

/// PostgreSQL URLs as `verify` hands them to SQLAlchemy.
public enum PostgresURL {
    /// A plain `postgresql://` (or `postgres://`) URL gets the driver the Python has: psycopg 3
    /// (`postgresql+psycopg://`) else psycopg2; a URL naming its driver is kept. Nil: no driver.
    public static func withDriver(_ url: String, psycopg: Bool, psycopg2: Bool) -> String? {
        for scheme in ["postgresql://", "postgres://"] where url.hasPrefix(scheme) {
            let rest = url.dropFirst(scheme.count)
            if psycopg { return "postgresql+psycopg://" + rest }
            if psycopg2 { return "postgresql+psycopg2://" + rest }
            return nil
        }
        return url
    }

    /// Whether the URL is PostgreSQL's at all (`postgresql://`, `postgres://`, `postgresql+driver://`).
    public static func isPostgres(_ url: String) -> Bool {
        url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") || url.hasPrefix("postgresql+")
    }

    /// The URL with its password replaced by `***`, for messages.
    public static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].lastIndex(of: "@") else { return url }
        let auth = url[scheme.upperBound..<at]
        guard let colon = auth.firstIndex(of: ":") else { return url }
        return String(url[..<url.index(after: colon)]) + "***" + String(url[at...])
    }

    /// The name of a temporary database: `vejamigrate_verify_` and 12 random hex digits.
    public static func temporaryDatabaseName<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let hex = Array("0123456789abcdef")
        return "vejamigrate_verify_" + String((0..<12).map { _ in hex[Int(generator.next() % 16)] })
    }
}
