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
    /// Where this versions directory's draft is kept (nil: the state folder is inside it).
    let drafts: DraftStore?
    /// The answers last saved as the draft, when they were saved, and on which step.
    private var savedAnswers: SessionAnswers?
    private var savedAt = Date.distantPast

    init(terminal: Terminal, context: WizardContext, drafts: DraftStore?) {
        self.terminal = terminal
        self.context = context
        self.drafts = drafts
    }

    /// Saves the answers as the draft when they changed: at once on a new step, else at most once a
    /// second (`now`: on quit and signals), so a killed terminal loses little. Nothing typed, or a
    /// written migration, keeps no draft.
    private func keepDraft(_ model: WizardModel, now: Bool = false) {
        guard let drafts else { return }
        guard let answers = model.draftAnswers else {
            // Emptied after a save (or written): the file must not offer answers that are gone.
            if savedAnswers != nil, model.offeredDraft == nil { drafts.remove(); savedAnswers = nil }
            return
        }
        guard answers != savedAnswers else { return }
        guard now || answers.step != savedAnswers?.step || Date().timeIntervalSince(savedAt) >= 1 else { return }
        do {
            try drafts.save(answers)
            savedAnswers = answers
            savedAt = Date()
        } catch {
            // The session goes on; the status area says the draft is not kept.
            savedAnswers = answers
            savedAt = Date()
            draftProblem = "The draft could not be saved: \(error.localizedDescription)"
        }
    }
    private var draftProblem: String?

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
        switch drafts?.load() ?? .none {
        case .draft(let draft): model.offer(draft)
        case .setAside(let message): model.show(message)
        case .none: break
        }
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
            keepDraft(model)
            if let problem = draftProblem {
                draftProblem = nil
                model.show(problem)
                changed = true
            }
            if let signal = terminal.pendingSignal {
                // Nothing is written: a write only happens inside `perform`, which runs to the end first.
                // The handler only set a flag; the draft is saved here, outside it.
                keepDraft(model, now: true)
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
                keepDraft(model, now: true)
                terminal.stop()
                stopVerifying()
                if let text = model.exitMessage { print(text, terminator: text.hasSuffix("\n") ? "" : "\n") }
                exit(code)
            case .suspend:
                terminal.suspend()
                // The window may have changed while stopped; the next paint redraws every cell.
                effect = model.update(.resize(terminal.size))
            case .discardDraft:
                drafts?.remove()
                effect = .none
            case .verify(let revision):
                verifying = BackgroundVerify.start(context, revision: revision)
                effect = .none
            case .write, .saveSpec, .startOver:
                effect = model.update(.effectResult(WizardRuntime.perform(effect, model: model, context: context)))
                // A written migration clears the draft.
                if model.writtenPath != nil {
                    drafts?.remove()
                    savedAnswers = nil
                }
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
