import Foundation
import Logging

/// Reads what each target of a playbook holds now (read-only) and compares it, by fingerprint, with
/// Rotor's current and previous versions: how `rotor plan`, `rotor status --targets` and the drift
/// watch see a value changed by hand. Values read are never kept, printed or logged.
public struct DriftInspector: Sendable {
    let factory: any ProviderFactory

    public init(factory: any ProviderFactory) {
        self.factory = factory
    }

    /// Every target of `playbook`, in order; `current` and `previous` are the versions' fingerprints.
    public func inspect(_ playbook: Playbook, current: String?, previous: String?) async -> [TargetDrift] {
        var report: [TargetDrift] = []
        for config in playbook.targets {
            report.append(await inspect(config, of: playbook, current: current, previous: previous))
        }
        return report
    }

    private func inspect(_ config: ProviderConfig, of playbook: Playbook, current: String?, previous: String?) async -> TargetDrift {
        let label = config.label
        let reading: TargetReading
        do {
            reading = try await factory.target(config, of: playbook).read()
        } catch {
            // Provider errors never carry a value (see each provider's error type).
            return TargetDrift(target: label, state: .unreadable, detail: "\(error)")
        }
        let held = reading.fingerprints
        switch reading {
        case .unknown(let why): return TargetDrift(target: label, state: .unknown, detail: why)
        case .held(let values) where values.isEmpty: return TargetDrift(target: label, state: .absent)
        case .held:
            if let current, held == [current] { return TargetDrift(target: label, state: .current, fingerprints: held) }
            if let previous, held == [previous] { return TargetDrift(target: label, state: .previous, fingerprints: held) }
            return TargetDrift(target: label, state: .drift, fingerprints: held)
        }
    }
}
