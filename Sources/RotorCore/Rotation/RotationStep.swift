/// One journaled step of a rotation. Forward steps have an undo; `revokeOld` is the point of no return.
public enum RotationStep: Hashable, Sendable, CustomStringConvertible {
    /// Get a new credential from the source and seal it into the store as `pending`.
    case generate
    /// Write the new value to target `i` (and redeploy it, waiting until the deploy is live).
    case propagate(Int)
    /// Run check `i` against the new value.
    case verify(Int)
    /// Labels: new → `current`, old → `previous`; the grace period starts.
    case promote
    /// Revoke the old credential at its source.
    case revokeOld
    /// Write the previous value back to target `i`.
    case undoPropagate(Int)
    /// Labels back: old → `current`, new → `failed`.
    case undoPromote
    /// Revoke the new credential at its source.
    case revokeNew

    /// The stable name used in the journal.
    public var key: String {
        switch self {
        case .generate: "generate"
        case .propagate(let i): "propagate:\(i)"
        case .verify(let i): "verify:\(i)"
        case .promote: "promote"
        case .revokeOld: "revoke"
        case .undoPropagate(let i): "undo:propagate:\(i)"
        case .undoPromote: "undo:promote"
        case .revokeNew: "undo:generate"
        }
    }

    public var description: String { key }

    public init?(key: String) {
        let parts = key.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1:
            switch parts[0] {
            case "generate": self = .generate
            case "promote": self = .promote
            case "revoke": self = .revokeOld
            default: return nil
            }
        case 2:
            if parts == ["undo", "promote"] { self = .undoPromote; return }
            if parts == ["undo", "generate"] { self = .revokeNew; return }
            guard let index = Int(parts[1]), index >= 0 else { return nil }
            switch parts[0] {
            case "propagate": self = .propagate(index)
            case "verify": self = .verify(index)
            default: return nil
            }
        case 3:
            guard parts[0] == "undo", parts[1] == "propagate", let index = Int(parts[2]), index >= 0 else { return nil }
            self = .undoPropagate(index)
        default:
            return nil
        }
    }

    /// Whether this step belongs to the rollback path.
    public var isUndo: Bool {
        switch self {
        case .undoPropagate, .undoPromote, .revokeNew: true
        default: false
        }
    }
}
