import ArgumentParser
import Foundation
import VejaMigrateCore
import VejaMigrateVerify

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove a migration on a real database with the project's own Alembic.",
        discussion: """
            Builds a throwaway database at the migration's parent by running the history, then runs its upgrade, \
            downgrade and upgrade again, with a minimal Alembic environment of its own (the app's env.py and \
            settings are not needed). The schema after the downgrade must equal the one before; the schema after \
            the upgrade is compared with what `vejamigrate schema` reads (a difference is a warning). \
            Database: --postgres URL (a temporary database, dropped after), --postgres auto (a throwaway cluster), \
            --sqlite; by default auto when PostgreSQL's initdb is installed, else SQLite. \
            Python: --python, else $VIRTUAL_ENV, else .venv or venv at the top of the repository, else python3.
            Exit codes: 0 every step passed; 5 a step failed; 2 no Python with Alembic, no database, or usage; \
            3 the history has problems; 130 interrupted (the database is removed all the same).
            """
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: "The revision to verify (default: the head).")
    var revision: String?

    @Option(name: .long, help: ArgumentHelp("A PostgreSQL server URL (a temporary database is created on it and dropped), or auto for a throwaway cluster.", valueName: "url|auto"))
    var postgres: String?

    @Flag(name: .long, help: "Use a temporary SQLite file.")
    var sqlite = false

    @Option(name: .long, help: ArgumentHelp("The Python that has the project's Alembic and SQLAlchemy.", valueName: "path"))
    var python: String?

    @Flag(help: "Print the result as JSON on standard output (the steps go to standard error as they run).")
    var json = false

    func validate() throws {
        if postgres != nil, sqlite {
            throw ValidationError("--postgres and --sqlite name two databases; give one of them")
        }
        if let postgres, postgres != "auto", !PostgresURL.isPostgres(postgres) {
            throw ValidationError("--postgres \(PostgresURL.redacted(postgres)) is not a PostgreSQL URL; write postgresql://USER:PASSWORD@HOST:PORT/DB, or auto")
        }
    }

    var database: VerifyDatabase? {
        if sqlite { return .sqlite }
        if let postgres { return postgres == "auto" ? .postgresCluster : .postgres(url: postgres) }
        return nil
    }

    func run() throws {
        let locations = try common.locations()
        Interrupt.install()
        let progress = ProgressPrinter(toStandardError: json)
        let runner = VerifyRunner(
            locations: locations,
            request: VerifyRequest(revision: revision, database: database, python: python, cwd: common.cwd),
            emit: progress.print)
        let result: VerifyResult
        do {
            result = try runner.run()
        } catch {
            printError("error: " + error.message)
            throw ExitCode(error.exitCode)
        }
        if json { printJSON(VerifyJSON.document(result)) }
        if result.failure == .interrupted { throw ExitCode(128 + (Interrupt.signal == 0 ? SIGINT : Interrupt.signal)) }
        if !result.passed { throw ExitCode(result.exitCode) }
    }
}

/// The steps as lines, as they run: `[1/6] upgrade to parent 20250101_000004 ... ok (0.4 s)`.
struct ProgressPrinter {
    var toStandardError: Bool

    func write(_ text: String) {
        let data = Data(text.utf8)
        if toStandardError { FileHandle.standardError.write(data) } else { FileHandle.standardOutput.write(data) }
    }

    func print(_ event: VerifyEvent) {
        switch event {
        case .note(let text):
            write(text + "\n")
        case .stepStarted(let index, let total, let title):
            write("[\(index + 1)/\(total)] \(title) ... ")
        case .stepFinished(_, _, _, let seconds, let outcome):
            write("\(outcome.word) (\(String(format: "%.1f", seconds)) s)\n")
            if case .failed(let text) = outcome {
                write(text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 + "\n" }.joined())
            }
        case .stopped(let problem):
            write("error: " + problem.message + "\n")
        case .finished(let result):
            for d in result.staticDifferences {
                write("    warning: " + d.describe(expectedName: "in the database", actualName: "in `vejamigrate schema`") + "\n")
            }
            if !result.staticDifferences.isEmpty {
                write("    (the static reader differs from the database: a limit of `vejamigrate schema`, not of the migration)\n")
            }
            if result.passed {
                write("passed: \(result.revision) upgrades, downgrades and upgrades again cleanly on \(result.database)\n")
            } else if let i = result.failedStep {
                write("FAILED: \(result.revision), step \(i + 1)/\(result.totalSteps): \(result.steps[i].title)\n")
            } else {
                write("FAILED: \(result.revision): interrupted\n")
            }
        }
    }
}

/// `--json`: `{"database", "failed_step", "passed", "revision", "steps": [...], "warnings": [...]}`.
enum VerifyJSON {
    static func document(_ r: VerifyResult) -> JSONValue {
        func opt(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        let steps: [JSONValue] = r.steps.map { s in
            var error: String?
            if case .failed(let text) = s.outcome { error = text }
            let outcome: String
            switch s.outcome {
            case .ok: outcome = "ok"
            case .warnings: outcome = "warning"
            case .failed: outcome = "failed"
            }
            return .object(["title": .string(s.title), "outcome": .string(outcome), "seconds": .decimal(Decimal((s.seconds * 1000).rounded()) / 1000), "error": opt(error)])
        }
        return .object([
            "revision": .string(r.revision),
            "database": .string(r.database),
            "passed": .bool(r.passed),
            "failed_step": opt(r.failedStep.map { r.steps[$0].title } ?? (r.failure == .interrupted ? "interrupted" : nil)),
            "steps": .array(steps),
            "warnings": .array(r.staticDifferences.map { d in
                .object(["subject": .string(d.subject), "kind": .string(d.kind), "database": opt(d.expected), "static": opt(d.actual)])
            }),
        ])
    }
}
