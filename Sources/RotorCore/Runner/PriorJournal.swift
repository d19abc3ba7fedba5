import Foundation
import RotorCrypto

/// Journals what a target held before a rotation's first write to it, sealed, and opens it again for the
/// target's undo step (`StepContext.checkpointPrior` / `priorValue`).
///
/// The note is a progress note of the target's propagate step, `prior:` followed by the sealed box; it is
/// bound to the rotation and the step, so a box copied to another rotation or target fails to open.
struct PriorJournal: Sendable {
    let store: any Store
    let sealer: Sealer
    let clock: any RotorClock
    let rotationID: String
    /// The propagate step of the target, for its propagate and undo-propagate steps; nil for other steps.
    let propagateKey: String?

    init(store: any Store, sealer: Sealer, clock: any RotorClock, rotationID: String, step: RotationStep) {
        self.store = store
        self.sealer = sealer
        self.clock = clock
        self.rotationID = rotationID
        switch step {
        case .propagate(let i), .undoPropagate(let i): propagateKey = RotationStep.propagate(i).key
        default: propagateKey = nil
        }
    }

    static let prefix = "prior:"

    /// Whether a journal detail is a prior note (which is not a deploy checkpoint).
    static func isPrior(_ detail: String?) -> Bool { detail?.hasPrefix(prefix) ?? false }

    /// Seals and journals `bytes`.
    func record(_ bytes: [UInt8]) async throws {
        guard let step = propagateKey else { throw Failure(message: "only a target's propagate step journals what it held") }
        let sealed = try sealer.seal(bytes, context: SealingContext.prior(rotationID: rotationID, step: step))
        let note = Self.prefix + sealed.keyID + ":" + Base64.encode(sealed.box)
        let (rotationID, clock) = (rotationID, clock)
        try await store.transaction { tx in
            _ = try tx.appendJournal(rotationID: rotationID, step: step, phase: .started, detail: note, at: clock.now)
        }
    }

    /// The first prior note of the step, opened; nil when there is none.
    func read() async throws -> [UInt8]? {
        guard let step = propagateKey else { return nil }
        let rotationID = rotationID
        let note = try await store.transaction { tx in
            try tx.journal(rotationID: rotationID).first { $0.step == step && Self.isPrior($0.detail) }?.detail
        }
        guard let note else { return nil }
        // Base64 has no ":", so the last one separates the key id from the box.
        let body = note.dropFirst(Self.prefix.count)
        guard let colon = body.lastIndex(of: ":"), let box = Base64.decode(String(body[body.index(after: colon)...])) else {
            throw Failure(message: "the journaled prior value of \(step) of rotation \(rotationID) is malformed")
        }
        return try sealer.open(SealedValue(keyID: String(body[..<colon]), box: box),
                               context: SealingContext.prior(rotationID: rotationID, step: step))
    }

    /// A prior note that cannot be written or read back; never holds a value.
    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
