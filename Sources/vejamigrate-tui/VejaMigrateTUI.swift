import ArgumentParser
import Foundation
import VejaMigrateCore
import VejaMigrateWizard

/// The ncurses wizard: guided creation of the next migration, live preview, confirm, write.
struct VejaMigrateTUI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vejamigrate-tui",
        abstract: "Create the next Alembic migration with a guided, full-screen wizard.",
        discussion: """
            Needs a terminal; for scripts use `vejamigrate new --spec FILE`. Colour is off with --no-color or a \
            non-empty NO_COLOR. Keys: F1 in the wizard.

            Exit codes: 0 written; 2 usage error, no terminal, or a configuration that cannot be honoured; \
            4 I/O error (no versions directory); 130 quit with Ctrl-C; 128+N stopped by signal N. \
            Nothing is written unless you confirm on the Review step.
            """,
        version: VejaMigrateVersion.current
    )

    @Option(name: .long, help: ArgumentHelp("The Alembic versions directory (default: found from -c, ALEMBIC_CONFIG, alembic.ini or pyproject.toml, or backend/app/migrations/versions; docs/cli.md).", valueName: "dir"))
    var versionsDir: String?

    @Option(name: [.customShort("c"), .long], help: ArgumentHelp("The project's alembic.ini or pyproject.toml ([tool.alembic]), as alembic -c takes it; once each.", valueName: "file"))
    var config: [String] = []

    @Option(name: .long, help: ArgumentHelp("Pin \"today\" for the file name and Create Date.", valueName: "YYYY-MM-DD"))
    var date: String?

    @Flag(name: .long, help: "Attributes only, no colour (also when NO_COLOR is set and not empty).")
    var noColor = false

    func validate() throws {
        if let date, MigrationDate(date) == nil {
            throw ValidationError("--date \(date) is not a real day; write it as YYYY-MM-DD, e.g. 2026-02-12")
        }
    }

    /// Whether to use colour: not when asked not to, by flag or by the NO_COLOR convention.
    var wantsColor: Bool {
        !noColor && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    }

    func run() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            FileHandle.standardError.write(Data("vejamigrate-tui needs a terminal; for scripts use `vejamigrate new --spec FILE`\n".utf8))
            throw ExitCode(2)
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let today = date.flatMap(MigrationDate.init) ?? MigrationDate.today()
        // Before the terminal is taken over, so a missing directory prints as plain text. The files
        // themselves are read in the background (WizardLoop), so the first frame does not wait for them.
        let context = try WizardContext.locate(DiscoveryRequest(versionsDir: versionsDir, configFiles: config, cwd: cwd), date: today)
        for w in context.settings.warnings { FileHandle.standardError.write(Data(("warning: " + w.shown(cwd: cwd.path) + "\n").utf8)) }
        let terminal: Terminal
        do {
            terminal = try Terminal.start(colors: wantsColor)
        } catch let error as TerminalError {
            FileHandle.standardError.write(Data((error.message + "\n").utf8))
            throw ExitCode(2)
        }
        WizardLoop(terminal: terminal, context: context, drafts: DraftStore(versionsDirectory: context.locations.primary.url)).run()
    }
}
