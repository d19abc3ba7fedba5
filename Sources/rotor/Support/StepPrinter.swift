import RotorCore

/// Prints runner events as the operator reads them. Under `--quiet` only how the rotation finished.
enum StepPrinter {
    static let silent: @Sendable (RunnerEvent) -> Void = { _ in }
    static let printer: @Sendable (RunnerEvent) -> Void = { print($0) }

    /// Under `--quiet`, the line that says a rotation went live: one that ends in grace has no `.finished` event,
    /// and its steps were not printed. Any other end printed its `.finished` line already.
    static func printQuietResult(_ outcome: RotationOutcome, secret: String) {
        guard Console.isQuiet, outcome.rotation.state == .grace else { return }
        let until = outcome.rotation.graceEndsAt.map { " until \(ISO8601.string($0))" } ?? ""
        Swift.print("\(Mark.ok) \(TerminalText.safe(secret)): new value live and verified (rotation \(outcome.rotation.id)); "
                    + "the old value stays valid\(until)")
    }

    static func print(_ event: RunnerEvent) {
        switch event {
        case .rotationStarted(let id, let secret):
            Console.info("\(Mark.rotating) rotating \(TerminalText.safe(secret)) (\(id))")
        case .resumed(let id, let state):
            Console.info("\(Mark.resuming) resuming interrupted rotation \(id) (\(state.rawValue))")
        case .stepSucceeded(let step, let message):
            Console.info("\(step.isUndo ? Mark.undone : Mark.ok) \(TerminalText.safe(message))")
        case .stepSkipped(_, let message):
            Console.info("\(Mark.warning) \(TerminalText.safe(message))")
        case .stepFailed(_, let message):
            Console.info("\(Mark.failed) \(TerminalText.safe(message))")
        case .finished(let state, let message):
            // Messages carry provider and check errors, which may quote what a remote service sent.
            let message = TerminalText.safe(message)
            switch state {
            case .completed: Swift.print("\(Mark.finished) \(message)")
            case .rolledBack: Swift.print("\(Mark.undone) \(message)")
            case .failed: Swift.print("\(Mark.alert) \(message)")
            default: Swift.print("\(Mark.warning) \(message)")
            }
        }
    }
}
