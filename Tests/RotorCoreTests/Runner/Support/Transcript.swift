import Foundation
import RotorCore
import Synchronization

/// What a rotation left behind, one line per journal entry, audit row and runner event, with the rotation id,
/// the versions' ids, fingerprints, last 4 and values replaced by names (`ROT`, `OLD`, `NEW`), so a test can
/// compare it with a literal.
struct Transcript {
    /// Collects the runner's events (the observer is called from concurrent step tasks).
    final class Events: Sendable {
        private let events = Mutex<[RunnerEvent]>([])
        var all: [RunnerEvent] { events.withLock { $0 } }
        func record(_ event: RunnerEvent) { events.withLock { $0.append(event) } }
    }

    var journal: [String]
    var audit: [String]
    var events: [String]

    init(_ snapshot: RunnerWorld.Snapshot, events: [RunnerEvent]) {
        var names: [(String, String)] = []
        if let rotation = snapshot.rotation {
            names.append((rotation.id, "ROT"))
            for (id, name) in [(rotation.oldVersionID, "OLD"), (rotation.newVersionID, "NEW")] {
                guard let version = snapshot.version(id: id) else { continue }
                let value = SecretValue(version.value)
                names += [(version.value, name), (version.record.id, "\(name)-ID"), (value.display, "\(name)-DISPLAY"),
                          (value.fingerprint, "\(name)-FP"), (value.last4, "\(name)-LAST4")]
            }
        }
        func named(_ text: String?) -> String {
            names.reduce(text ?? "-") { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        }
        journal = snapshot.journal.map { "\($0.step) \($0.phase.rawValue) \(named(Self.sortedKeys($0.detail)))" }
        audit = snapshot.audit.filter { $0.rotationID != nil }.map {
            "\($0.action) \($0.outcome) old=\(named($0.oldFingerprint))/\(named($0.oldLast4)) "
                + "new=\(named($0.newFingerprint))/\(named($0.newLast4)) reason=\(named($0.reason)) detail=\(named($0.detail))"
        }
        self.events = events.map { event in
            switch event {
            case .rotationStarted: "started"
            case .resumed(_, let state): "resumed \(state.rawValue)"
            case .stepSucceeded(let step, let message): "✓ \(step.key): \(named(message))"
            case .stepFailed(let step, let message): "✗ \(step.key): \(named(message))"
            case .finished(let state, let message): "finished \(state.rawValue): \(named(message))"
            }
        }
    }

    /// A JSON object detail with its keys sorted (the encoder's order varies from run to run); other text as is.
    static func sortedKeys(_ detail: String?) -> String? {
        guard let detail, let object = try? JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any],
              let sorted = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return detail }
        return String(decoding: sorted, as: UTF8.self)
    }
}
