import Foundation
import VejaMigrateWizard

/// Runs the wizard's model on the terminal until it quits or a signal stops it; never returns.
///
/// The model decides everything; this loop paints, reads a message, and performs the effects the model asks for.
struct WizardLoop {
    let terminal: Terminal
    let context: WizardContext

    func run() -> Never {
        var model = WizardModel(context: context)
        perform(model.update(.resize(terminal.size)), on: &model)
        var changed = true
        while true {
            // Paint only after a change: idle timeouts cost nothing, and queued keys (a paste,
            // fast typing) are all applied before the next frame.
            if changed { terminal.paint(model.render(size: terminal.size)) }
            changed = false
            if terminal.takePendingSuspend() {
                // SIGTSTP from outside (kill -TSTP): the same as Ctrl-Z.
                perform(.suspend, on: &model)
                changed = true
                continue
            }
            if let signal = terminal.pendingSignal {
                // Nothing is written: a write only happens inside `perform`, which runs to the end first.
                terminal.stop()
                exit(128 + signal)
            }
            guard let message = terminal.nextMessage() else { continue }
            perform(model.update(message), on: &model)
            while terminal.pendingSignal == nil, let queued = terminal.nextMessage(wait: false) {
                perform(model.update(queued), on: &model)
            }
            changed = true
        }
    }

    private func perform(_ first: Effect, on model: inout WizardModel) {
        var effect = first
        while effect != .none {
            switch effect {
            case .none:
                return
            case .quit(let code):
                terminal.stop()
                if let text = model.exitMessage { print(text, terminator: text.hasSuffix("\n") ? "" : "\n") }
                exit(code)
            case .suspend:
                terminal.suspend()
                // The window may have changed while stopped; the next paint redraws every cell.
                effect = model.update(.resize(terminal.size))
            case .write, .saveSpec, .startOver:
                effect = model.update(.effectResult(WizardRuntime.perform(effect, model: model, context: context)))
            }
        }
    }
}
