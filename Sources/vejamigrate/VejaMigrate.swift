import ArgumentParser
import Foundation
import VejaMigrateCore

/// The scriptable front end: the same engine as the wizard, for scripts, CI and editors.
struct VejaMigrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vejamigrate",
        abstract: "Create Alembic migrations that follow the VejaPRO conventions exactly.",
        discussion: """
            Exit codes: 0 done; 1 invalid input (nothing written); 2 usage error, or a configuration \
            that cannot be honoured (alembic.ini, pyproject.toml); 3 the history has problems that stop \
            the command; 4 I/O error (no versions directory found); 5 verify: a step failed.
            """,
        version: VejaMigrateVersion.current,
        subcommands: [Status.self, New.self, SchemaCommand.self, Check.self, Merge.self, Rebase.self, Verify.self]
    )
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The Alembic versions directory (default: found from -c, ALEMBIC_CONFIG, alembic.ini or pyproject.toml, or backend/app/migrations/versions; docs/cli.md).", valueName: "dir"))
    var versionsDir: String?

    @Option(name: [.customShort("c"), .long], help: ArgumentHelp("The project's alembic.ini or pyproject.toml ([tool.alembic]), as alembic -c takes it; once each.", valueName: "file"))
    var config: [String] = []

    @Option(name: .long, help: ArgumentHelp("Pin \"today\" for the file name and Create Date.", valueName: "YYYY-MM-DD"))
    var date: String?

    @Option(name: .long, help: ArgumentHelp("How long a command that writes waits for another one writing in the same versions directory (default: 30).", valueName: "seconds"))
    var lockTimeout: Double?

    func validate() throws {
        if let lockTimeout, !(lockTimeout >= 0 && lockTimeout.isFinite) {
            throw ValidationError("--lock-timeout \(lockTimeout) is not a number of seconds; write e.g. --lock-timeout 30")
        }
        if let date, MigrationDate(date) == nil {
            throw ValidationError("--date \(date) is not a real day; write it as YYYY-MM-DD, e.g. 2026-02-12")
        }
    }

    var cwd: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }

    /// The history's folders, found once (`VersionLocations.discover`).
    func locations() throws(VejaMigrateError) -> VersionLocations {
        try VersionLocations.discover(DiscoveryRequest(versionsDir: versionsDir, configFiles: config, cwd: cwd))
    }

    /// The project's settings for `locations`, read once; unknown keys are printed as warnings.
    func settings(for locations: VersionLocations) throws(VejaMigrateError) -> ProjectSettings {
        let settings: ProjectSettings
        do { settings = try ProjectSettings.load(for: locations) } catch { throw .config(error.relative(to: cwd)) }
        for w in settings.warnings { printError("warning: " + w.shown(cwd: cwd.path)) }
        return settings
    }

    /// The options that say where the history is, for command lines printed as fixes.
    var locationArguments: [String] {
        (versionsDir.map { ["--versions-dir", $0] } ?? []) + config.flatMap { ["-c", $0] }
    }

    /// The versions directory's writer lock (VersionsLock), held from reading the history to writing.
    func lock(_ dir: VersionsDirectory) throws(VejaMigrateError) -> VersionsLock {
        try VersionsLock.acquire(in: dir, timeout: lockTimeout ?? VersionsLock.defaultTimeout)
    }

    var today: MigrationDate { date.flatMap(MigrationDate.init) ?? MigrationDate.today() }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints `value` as pretty JSON (`JSONValue.prettyText`: `"key": value`, keys sorted).
func printJSON<T: Encodable>(_ value: T) {
    let data = try! JSONEncoder().encode(value)
    printJSON(try! JSONDecoder().decode(JSONValue.self, from: data))
}

/// Prints a document built as a `JSONValue`, written straight to standard output.
func printJSON(_ value: JSONValue) {
    var out: [UInt8] = []
    out.reserveCapacity(1 << 16)
    value.write(to: &out, indent: 0)
    out.append(UInt8(ascii: "\n"))
    fflush(nil)
    FileHandle.standardOutput.write(Data(out))
}
