import ArgumentParser
import Foundation
import VejaMigrateCore

/// The scriptable front end: the same engine as the wizard, for scripts, CI and editors.
struct VejaMigrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vejamigrate",
        abstract: "Create Alembic migrations that follow the VejaPRO conventions exactly.",
        discussion: """
            Exit codes: 0 done; 1 invalid input (nothing written); 2 usage error; \
            3 the history has problems that stop the command; 4 I/O error.
            """,
        subcommands: [Status.self, New.self, SchemaCommand.self, Merge.self, Rebase.self]
    )
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The Alembic versions directory (default: backend/app/migrations/versions under the current directory or the git work tree).", valueName: "dir"))
    var versionsDir: String?

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

    func versionsDirectory() throws(VejaMigrateError) -> VersionsDirectory {
        if let versionsDir {
            return VersionsDirectory(url: URL(fileURLWithPath: versionsDir, relativeTo: cwd))
        }
        return try VersionsDirectory.discover(from: cwd)
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
