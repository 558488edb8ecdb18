import ArgumentParser
import Foundation
import VejaMigrateCore

// Usage errors exit 2 as the contract says (ArgumentParser's default is 64).
do {
    var command = try VejaMigrate.parseAsRoot()
    try command.run()
} catch let error as VejaMigrateError {
    // Every stop reads the same: `error: ...` (spec problems carry it per line already).
    let text = error.message.hasPrefix("error: ") ? error.message : "error: " + error.message
    FileHandle.standardError.write(Data((text + "\n").utf8))
    exit(error.exitCode)
} catch {
    let code = VejaMigrate.exitCode(for: error)
    if code == .success || error is CleanExit {
        VejaMigrate.exit(withError: error)
    }
    if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
    FileHandle.standardError.write(Data((VejaMigrate.fullMessage(for: error) + "\n").utf8))
    exit(2)
}
