import RotorCore
import Testing

/// A suite of rotor.yml texts that must be refused, read as `rotor.yml`.
protocol ConfigProblemTests {}

extension ConfigProblemTests {
    /// The error `text` is refused with; records an issue when it parses or fails otherwise.
    func error(_ text: String) -> RotorConfigError {
        do {
            let config = try RotorConfig.parse(file: "rotor.yml", text: text)
            Issue.record("expected problems, got \(config)")
        } catch let error as RotorConfigError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return RotorConfigError(file: "rotor.yml", diagnostics: [])
    }

    /// The problems of `text`.
    func diagnostics(_ text: String) -> [Diagnostic] { error(text).diagnostics }
}
