import ArgumentParser
import Foundation
import VejaMigrateCore

// Usage errors exit 2 as the contract says (ArgumentParser's default is 64).
do {
    var command = try VejaMigrateTUI.parseAsRoot()
    try command.run()
} catch let error as VejaMigrateError {
    FileHandle.standardError.write(Data((error.message + "\n").utf8))
    exit(error.exitCode)
} catch {
    let code = VejaMigrateTUI.exitCode(for: error)
    if code == .success || error is CleanExit {
        VejaMigrateTUI.exit(withError: error)
    }
    if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
    FileHandle.standardError.write(Data((VejaMigrateTUI.fullMessage(for: error) + "\n").utf8))
    exit(2)
}
