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
        while true {
            terminal.paint(model.render(size: terminal.size))
            if let signal = terminal.pendingSignal {
                // Nothing is written: a write only happens inside `perform`, which runs to the end first.
                terminal.stop()
                exit(128 + signal)
            }
            guard let message = terminal.nextMessage() else { continue }
            perform(model.update(message), on: &model)
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
            case .write:
                effect = model.update(.effectResult(WizardRuntime.perform(.write, model: model, context: context)))
            }
        }
    }
}
