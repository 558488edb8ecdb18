import Foundation
import VejaMigrateCore
import VejaMigrateVerify
import VejaMigrateWizard

/// Runs the wizard's model on the terminal until it quits or a signal stops it; never returns.
///
/// The model decides everything; this loop paints, reads a message, and performs the effects the model asks for.
final class WizardLoop {
    let terminal: Terminal
    let context: WizardContext
    /// The verification running in the background, if one was started on the done screen.
    private var verifying: BackgroundVerify?

    init(terminal: Terminal, context: WizardContext) {
        self.terminal = terminal
        self.context = context
    }

    /// A verification still running is interrupted and waited for, so its temporary database is
    /// dropped (or its cluster stopped) before the wizard exits.
    private func stopVerifying() {
        guard let verifying, !verifying.isDone else { return }
        FileHandle.standardError.write(Data("verify: stopping, removing its temporary database ...\n".utf8))
        Interrupt.request()
        verifying.wait()
    }

    func run() -> Never {
        var model = WizardModel(context: context)
        perform(model.update(.resize(terminal.size)), on: &model)
        var changed = true
        let reading = context.historyPending ? BackgroundRead.start(context.locations) : nil
        var delivered = reading == nil
        while true {
            // Verify's steps, as they come (within one input timeout).
            for event in verifying?.take() ?? [] {
                perform(model.update(.verifyEvent(event)), on: &model)
                changed = true
            }
            // Paint only after a change: idle timeouts cost nothing, and queued keys (a paste,
            // fast typing) are all applied before the next frame.
            if changed { terminal.paint(model.render(size: terminal.size)) }
            changed = false
            // The history read in the background arrives within one input timeout (100 ms) of being done.
            if !delivered, let result = reading?.result {
                delivered = true
                deliver(result, to: &model)
                changed = true
                continue
            }
            if terminal.takePendingSuspend() {
                // SIGTSTP from outside (kill -TSTP): the same as Ctrl-Z.
                perform(.suspend, on: &model)
                changed = true
                continue
            }
            if let signal = terminal.pendingSignal {
                // Nothing is written: a write only happens inside `perform`, which runs to the end first.
                terminal.stop()
                stopVerifying()
                exit(128 + signal)
            }
            guard let message = terminal.nextMessage() else { continue }
            // The history first, when it has just arrived: a key must never meet a model that is
            // still reading after the read is done.
            if !delivered, let result = reading?.result {
                delivered = true
                deliver(result, to: &model)
            }
            perform(model.update(message), on: &model)
            while terminal.pendingSignal == nil, let queued = terminal.nextMessage(wait: false) {
                perform(model.update(queued), on: &model)
            }
            changed = true
        }
    }

    /// The history read in the background. When the directory could not be read after all (removed
    /// or made unreadable since it was found), nothing can be planned: the wizard stops and says so.
    private func deliver(_ result: EffectResult, to model: inout WizardModel) {
        if case .failed(let text) = result {
            terminal.stop()
            FileHandle.standardError.write(Data("error: cannot read the history: \(text)\n".utf8))
            exit(4)
        }
        perform(model.update(.effectResult(result)), on: &model)
    }

    private func perform(_ first: Effect, on model: inout WizardModel) {
        var effect = first
        while effect != .none {
            switch effect {
            case .none:
                return
            case .quit(let code):
                terminal.stop()
                stopVerifying()
                if let text = model.exitMessage { print(text, terminator: text.hasSuffix("\n") ? "" : "\n") }
                exit(code)
            case .suspend:
                terminal.suspend()
                // The window may have changed while stopped; the next paint redraws every cell.
                effect = model.update(.resize(terminal.size))
            case .verify(let revision):
                verifying = BackgroundVerify.start(context, revision: revision)
                effect = .none
            case .write, .saveSpec, .startOver:
                effect = model.update(.effectResult(WizardRuntime.perform(effect, model: model, context: context)))
            }
        }
    }
}

/// The history, read on another thread while the wizard already takes keys.
final class BackgroundRead: @unchecked Sendable {
    private let lock = NSLock()
    private var finished: EffectResult?

    /// What the read gave, once it is done.
    var result: EffectResult? {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    static func start(_ directory: VersionLocations) -> BackgroundRead {
        let read = BackgroundRead()
        let thread = Thread {
            let result: EffectResult
            do throws(VejaMigrateError) {
                result = .historyRead(try directory.readHistory())
            } catch {
                result = .failed(error.message)
            }
            read.lock.lock()
            read.finished = result
            read.lock.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
        return read
    }
}

/// `vejamigrate verify` on another thread: its events are queued for the loop to hand to the model.
final class BackgroundVerify: @unchecked Sendable {
    private let lock = NSLock()
    private var queued: [VerifyEvent] = []
    private var done = false
    private let finished = DispatchSemaphore(value: 0)

    var isDone: Bool {
        lock.lock()
        defer { lock.unlock() }
        return done
    }

    /// The events since the last call.
    func take() -> [VerifyEvent] {
        lock.lock()
        defer { lock.unlock() }
        let out = queued
        queued = []
        return out
    }

    func wait() {
        finished.wait()
        finished.signal()
    }

    private func push(_ event: VerifyEvent) {
        lock.lock()
        queued.append(event)
        lock.unlock()
    }

    static func start(_ context: WizardContext, revision: String?) -> BackgroundVerify {
        let verify = BackgroundVerify()
        Interrupt.reset()
        let thread = Thread {
            let runner = VerifyRunner(
                locations: context.locations,
                request: VerifyRequest(revision: revision, database: nil, python: nil, cwd: context.cwd),
                emit: { verify.push($0) })
            do throws(VerifyProblem) {
                _ = try runner.run()
            } catch {
                verify.push(.stopped(error))
            }
            verify.lock.lock()
            verify.done = true
            verify.lock.unlock()
            verify.finished.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        return verify
    }
}
