import VejaMigrateCore

/// A key press, as the wizard sees it: the terminal driver translates curses codes into these.
public enum Key: Hashable, Sendable {
    case character(Character)
    case enter
    case tab
    case backTab
    case escape
    case backspace
    case delete
    case up, down, left, right
    case home, end
    case pageUp, pageDown
    /// A function key, `F1` is `.function(1)`.
    case function(Int)
    /// Ctrl plus a letter, lowercase: Ctrl-C is `.control("c")`.
    case control(Character)
    /// Alt (Meta) plus a key, as the terminal sends it: Esc then the key. Alt-4 is `.alt("4")`.
    case alt(Character)
}

/// Everything that can happen to the wizard: a key, a new terminal size, or the result of an effect.
public enum Message: Sendable {
    case key(Key)
    case resize(Size)
    /// The driver finished an effect the model asked for.
    case effectResult(EffectResult)
    /// A step of `vejamigrate verify`, run by the driver in the background (`Effect.verify`).
    case verifyEvent(VerifyEvent)
}

/// What the model asks the outside world to do; the runtime does it and reports back.
public enum Effect: Equatable, Sendable {
    case none
    /// Quit with the exit code.
    case quit(Int32)
    /// Re-read the history and write the migration (the runtime checks that the history did not change).
    case write
    /// Write the answers as a spec file (JSON for `vejamigrate new --spec`) at `path`, never over a file.
    case saveSpec(path: String, text: String)
    /// Read the history again (it now has the written migration) to start another one.
    case startOver
    /// Restore the terminal and stop the process; on resume, take the terminal again and repaint.
    case suspend
    /// Run `vejamigrate verify` on the written migration in the background; its events come back
    /// as `Message.verifyEvent`, the last one `.finished` or `.stopped`.
    case verify(revision: String?)
    /// Remove the kept draft: the user chose to start fresh (`WizardModel.offer`).
    case discardDraft
}

/// The outcome of an effect.
public enum EffectResult: Sendable {
    /// The migration was written; `text` is the file as written, shown for review.
    case written(path: String, repositoryPath: String, text: String = "")
    /// The spec was saved at `path` (as typed, relative to `directory`, the directory the wizard runs in).
    case specSaved(path: String, directory: String = "")
    /// The history read again for the next migration.
    case historyRead(MigrationHistory)
    case failed(String)
    /// The history changed while the wizard was open: the history read again, and what changed.
    case historyChanged(MigrationHistory, String)
}
