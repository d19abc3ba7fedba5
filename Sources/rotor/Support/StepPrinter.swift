import RotorCore

/// Prints runner events as the operator reads them.
enum StepPrinter {
    static let silent: @Sendable (RunnerEvent) -> Void = { _ in }
    static let printer: @Sendable (RunnerEvent) -> Void = { print($0) }

    static func print(_ event: RunnerEvent) {
        switch event {
        case .rotationStarted(let id, let secret):
            Swift.print("🔄 rotating \(TerminalText.safe(secret)) (\(id))")
        case .resumed(let id, let state):
            Swift.print("⏯  resuming interrupted rotation \(id) (\(state.rawValue))")
        case .stepSucceeded(let step, let message):
            Swift.print("\(step.isUndo ? "↩️ " : "✅") \(TerminalText.safe(message))")
        case .stepFailed(_, let message):
            Swift.print("❌ \(TerminalText.safe(message))")
        case .finished(let state, let message):
            // Messages carry provider and check errors, which may quote what a remote service sent.
            let message = TerminalText.safe(message)
            switch state {
            case .completed: Swift.print("🏁 \(message)")
            case .rolledBack: Swift.print("↩️  \(message)")
            case .failed: Swift.print("🚨 \(message)")
            default: Swift.print("⚠️  \(message)")
            }
        }
    }
}
