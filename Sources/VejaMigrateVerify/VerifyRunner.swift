import Foundation
import VejaMigrateCore

/// What the user asked `verify` for.
public struct VerifyRequest: Sendable {
    public var revision: String?
    /// nil: the default (`VerifyDatabase.defaultChoice`).
    public var database: VerifyDatabase?
    public var python: String?
    /// Where the project is (the top of the repository is found from it).
    public var cwd: URL

    public init(revision: String?, database: VerifyDatabase?, python: String?, cwd: URL) {
        self.revision = revision
        self.database = database
        self.python = python
        self.cwd = cwd
    }
}

/// Runs a `VerifyPlan` with real processes: the project's Python and Alembic, a temporary
/// database, the reflections; the checks themselves are Core's (`VerifyChecks`). Everything it
/// makes (temporary directory, database, cluster) is removed on every way out, failure and
/// Ctrl-C included. Events are handed to `emit` as they happen, on the calling thread.
public struct VerifyRunner {
    public var locations: VersionLocations
    public var request: VerifyRequest
    public var emit: (VerifyEvent) -> Void

    public init(locations: VersionLocations, request: VerifyRequest, emit: @escaping (VerifyEvent) -> Void) {
        self.locations = locations
        self.request = request
        self.emit = emit
    }

    /// Where PostgreSQL's server binaries are looked for (newest version first), before PATH.
    public static let postgresBinaryRoot = "/usr/lib/postgresql"

    /// The directory holding `initdb` and `pg_ctl`: the newest `/usr/lib/postgresql/*/bin`, else PATH's.
    public static func postgresBinaries() -> String? {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: postgresBinaryRoot)) ?? []
        for v in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = "\(postgresBinaryRoot)/\(v)/bin"
            if FileManager.default.isExecutableFile(atPath: bin + "/initdb"), FileManager.default.isExecutableFile(atPath: bin + "/pg_ctl") {
                return bin
            }
        }
        if let initdb = ChildProcess.find("initdb"), ChildProcess.find("pg_ctl") != nil {
            return URL(fileURLWithPath: initdb).resolvingSymlinksInPath().deletingLastPathComponent().path
        }
        return nil
    }

    /// Runs the verification. Throws what stops it before the steps (exit 2, 3, 4); a failing step
    /// is a result (exit 5), reported through `emit` too.
    public func run() throws(VerifyProblem) -> VerifyResult {
        let history: MigrationHistory
        do { history = try locations.readHistory() } catch { throw .history(error.message) }
        let plan = try VerifyPlan.make(graph: history.graph, revision: request.revision)
        let database = request.database ?? .defaultChoice(postgresBinariesFound: Self.postgresBinaries() != nil)

        let work = try TemporaryDirectory()
        var cleanups: [() -> Void] = [{ work.remove() }]
        defer { for c in cleanups.reversed() { c() } }

        let environment = VerifyEnvironment(versionLocations: locations.directories.map { $0.url.standardizedFileURL.path })
        let envDir = work.path + "/env"
        do {
            try FileManager.default.createDirectory(atPath: envDir, withIntermediateDirectories: true)
            for (name, text) in environment.files {
                try Data(text.utf8).write(to: URL(fileURLWithPath: envDir + "/" + name))
            }
        } catch {
            throw .io("cannot write the temporary Alembic environment in \(envDir): \(error.localizedDescription)")
        }
        let script = envDir + "/" + VerifyEnvironment.scriptName
        let python = try findPython(script: script)
        emit(.note("python: \(python.path) (alembic \(python.alembic), SQLAlchemy \(python.sqlalchemy))"))

        var childEnv = ProcessInfo.processInfo.environment
        childEnv["PYTHONDONTWRITEBYTECODE"] = "1"
        childEnv.removeValue(forKey: "ALEMBIC_CONFIG")

        // The database, and its removal.
        let url: String
        let label: String
        switch database {
        case .sqlite:
            url = "sqlite:///" + work.path + "/verify.sqlite"
            label = "SQLite (temporary file, removed after)"
            emit(.note("database: \(label)"))
        case .postgres(let given):
            guard let withDriver = PostgresURL.withDriver(given, psycopg: python.psycopg, psycopg2: python.psycopg2) else {
                throw .noPostgresDriver(python: python.path)
            }
            var rng = SystemRandomNumberGenerator()
            let name = PostgresURL.temporaryDatabaseName(using: &rng)
            let create = ChildProcess.run(python.path, [script, "create-db", withDriver, name], environment: childEnv, interruptible: false)
            guard let created = create, created.status == 0 else {
                let tail = create.map { $0.errorTail(lines: 3) } ?? "\(python.path) could not be started"
                throw .database("cannot create a database on \(PostgresURL.redacted(given)): \(Self.lastLine(tail))")
            }
            cleanups.append {
                _ = ChildProcess.run(python.path, [script, "drop-db", withDriver, name], environment: childEnv, interruptible: false)
            }
            url = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            label = "PostgreSQL, temporary database \(name) on \(PostgresURL.redacted(given)) (dropped after)"
            emit(.note("database: \(label)"))
        case .postgresCluster:
            guard let bin = Self.postgresBinaries() else {
                throw .noPostgresBinaries(looked: ["\(Self.postgresBinaryRoot)/*/bin"])
            }
            guard python.psycopg || python.psycopg2 else { throw .noPostgresDriver(python: python.path) }
            // Under root the server runs as postgres, which must reach its folder: TMPDIR may be
            // private (0700), so the cluster gets a folder of its own in /tmp.
            let clusterDir = geteuid() == 0 ? try TemporaryDirectory(in: "/tmp", prefix: "vejamigrate-verify-pg-") : work
            if clusterDir.path != work.path { cleanups.append { clusterDir.remove() } }
            emit(.note("database: starting a throwaway PostgreSQL (\(bin)) in \(clusterDir.path)/pg ..."))
            let cluster = try Cluster.start(bin: bin, base: clusterDir.path + "/pg")
            cleanups.append { cluster.stop() }
            url = PostgresURL.withDriver("postgresql://postgres@/postgres?host=" + cluster.socketDir, psycopg: python.psycopg, psycopg2: python.psycopg2)!
            label = "PostgreSQL, throwaway cluster (stopped and removed after)"
            emit(.note("database: \(label)"))
        }
        childEnv[VerifyEnvironment.urlVariable] = url

        var result = VerifyResult(revision: plan.revision, database: label)
        var snapshots: [ReflectedSchema] = []
        let total = plan.steps.count
        result.totalSteps = total
        for (index, step) in plan.steps.enumerated() {
            if Interrupt.pending {
                result.failure = .interrupted
                break
            }
            emit(.stepStarted(index: index, total: total, title: step.title))
            let started = Date()
            var outcome = VerifyStepOutcome.ok
            var failure: VerifyFailure?
            switch step {
            case .upgradeToParent, .upgrade, .downgrade, .upgradeAgain:
                let run = ChildProcess.run(python.path, [script, "step", envDir + "/alembic.ini"] + step.alembicArguments!, environment: childEnv)
                if Interrupt.pending {
                    failure = .interrupted
                } else if let run, run.status == 0, let schema = ReflectedSchema.decode(run.stdout) {
                    snapshots.append(schema)
                } else if let run, run.status != 0 {
                    failure = .alembic(status: run.status, errorTail: run.errorTail())
                } else {
                    failure = .unreadableReflection(run.map { $0.errorTail(lines: 5) } ?? "\(python.path) could not be started")
                }
            case .compareDowngrade:
                failure = VerifyChecks.downgrade(before: snapshots[0], afterDowngrade: snapshots[2])
            case .compareUpgradeAgain:
                failure = VerifyChecks.upgradeAgain(first: snapshots[1], second: snapshots[3])
            case .compareStatic:
                let differences = VerifyChecks.staticReader(database: snapshots[1], history: history.schema(at: [plan.revision]))
                result.staticDifferences = differences
                if !differences.isEmpty { outcome = .warnings(differences.count) }
            }
            if let failure {
                outcome = .failed(failure.lines.joined(separator: "\n"))
                result.failure = failure
                result.failedStep = index
            }
            let seconds = Date().timeIntervalSince(started)
            result.steps.append((step.title, seconds, outcome))
            emit(.stepFinished(index: index, total: total, title: step.title, seconds: seconds, outcome: outcome))
            if failure != nil { break }
        }
        // The database is dropped (the deferred cleanups) before the end is reported.
        for c in cleanups.reversed() { c() }
        cleanups = []
        emit(.finished(result))
        return result
    }

    struct FoundPython {
        var path: String
        var alembic: String
        var sqlalchemy: String
        var psycopg: Bool
        var psycopg2: Bool
    }

    /// The first candidate that exists, probed for Alembic, SQLAlchemy and the PostgreSQL drivers.
    private func findPython(script: String) throws(VerifyProblem) -> FoundPython {
        let env = ProcessInfo.processInfo.environment
        let top = VersionsDirectory.gitWorkTree(containing: request.cwd)?.path ?? request.cwd.standardizedFileURL.path
        let candidates = VerifyPython.candidates(flag: request.python, virtualEnv: env["VIRTUAL_ENV"], repositoryTop: top)
        guard let path = candidates.lazy.compactMap({ ChildProcess.find($0) }).first else {
            throw .noPython(tried: candidates)
        }
        var probeEnv = env
        probeEnv["PYTHONDONTWRITEBYTECODE"] = "1"
        guard let probe = ChildProcess.run(path, [script, "probe"], environment: probeEnv), probe.status == 0,
              let data = probe.stdout.split(separator: "\n").last.map({ Data($0.utf8) }),
              let found = try? JSONDecoder().decode([String: String?].self, from: data)
        else {
            throw .noPython(tried: [path + " (does not run the probe script)"])
        }
        let missing = ["alembic", "sqlalchemy"].filter { (found[$0] ?? nil) == nil }
        if !missing.isEmpty { throw .pythonLacks(python: path, modules: missing) }
        return FoundPython(
            path: path, alembic: (found["alembic"] ?? nil) ?? "?", sqlalchemy: (found["sqlalchemy"] ?? nil) ?? "?",
            psycopg: (found["psycopg"] ?? nil) != nil, psycopg2: (found["psycopg2"] ?? nil) != nil)
    }

    static func lastLine(_ text: String) -> String {
        text.split(separator: "\n").last.map(String.init) ?? "no error text"
    }
}

/// A directory of our own under the system's temporary directory, removed at the end.
struct TemporaryDirectory {
    let path: String

    init(in parent: String = NSTemporaryDirectory(), prefix: String = "vejamigrate-verify-") throws(VerifyProblem) {
        var template = Array((parent + "/" + prefix + "XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .io("cannot create a temporary directory in \(parent)")
        }
        path = URL(fileURLWithPath: String(cString: made)).standardizedFileURL.path
        // The cluster's user (postgres, under root) must reach its own folder inside.
        chmod(path, 0o711)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A throwaway PostgreSQL cluster: `initdb` and `pg_ctl` on a unix socket in its own directory,
/// no TCP. The server refuses to run as root, so under root it runs as the `postgres` user.
struct Cluster {
    let bin: String
    let base: String
    let runAs: [String]

    var data: String { base + "/data" }
    var socketDir: String { base }

    static func start(bin: String, base: String) throws(VerifyProblem) -> Cluster {
        do { try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true) } catch {
            throw .io("cannot create \(base): \(error.localizedDescription)")
        }
        var runAs: [String] = []
        if geteuid() == 0 {
            guard let pw = getpwnam("postgres"), let runuser = ChildProcess.find("runuser") ?? ChildProcess.find("/usr/sbin/runuser") else {
                throw .database("the PostgreSQL server does not run as root, and there is no postgres user (or runuser) to run it as")
            }
            chown(base, pw.pointee.pw_uid, pw.pointee.pw_gid)
            runAs = [runuser, "-u", "postgres", "--"]
        }
        let cluster = Cluster(bin: bin, base: base, runAs: runAs)
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C"
        env["LANG"] = "C"
        let initdb = cluster.command("initdb", ["-D", cluster.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], env: env)
        guard let initdb, initdb.status == 0 else {
            throw .database("initdb failed: " + (initdb.map { VerifyRunner.lastLine($0.errorTail(lines: 3)) } ?? "could not be started"))
        }
        let options = "-c listen_addresses='' -k \(cluster.socketDir) -c fsync=off -c full_page_writes=off"
        let start = cluster.command("pg_ctl", ["-D", cluster.data, "-o", options, "-l", base + "/server.log", "-w", "-t", "60", "start"], env: env)
        guard let start, start.status == 0 else {
            let log = (try? String(contentsOfFile: base + "/server.log", encoding: .utf8)).map { VerifyRunner.lastLine($0) } ?? ""
            throw .database("pg_ctl start failed: \(log.isEmpty ? VerifyRunner.lastLine(start?.errorTail(lines: 3) ?? "") : log)")
        }
        return cluster
    }

    func command(_ name: String, _ args: [String], env: [String: String]? = nil) -> ChildProcess? {
        let argv = runAs + [bin + "/" + name] + args
        return ChildProcess.run(argv[0], Array(argv.dropFirst()), environment: env, interruptible: false)
    }

    func stop() {
        _ = command("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
    }
}
