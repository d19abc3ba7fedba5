/// Why a skip or a "rotate now" was refused. The description tells the user what to do next.
///
/// A struct over a private enum, so new cases do not break callers: match with ``code``, or compare with `==`.
public struct SkipError: Error, CustomStringConvertible, CustomDebugStringConvertible, Equatable {
    /// The kind of refusal, for matching.
    public enum Code: String, Sendable, Equatable {
        case reasonRequired
        case notScheduled
        case notImported
        case tooManySkips
    }

    private enum Kind: Equatable {
        case reasonRequired
        case notScheduled(String)
        case notImported(String)
        case tooManySkips(secret: String, max: Int)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// A skip must say why; the reason was empty.
    public static let reasonRequired = SkipError(.reasonRequired)
    /// The secret's playbook has no schedule, so there is no rotation to postpone.
    public static func notScheduled(_ secret: String) -> SkipError { .init(.notScheduled(secret)) }
    /// The secret has no current version yet (it was never imported or rotated).
    public static func notImported(_ secret: String) -> SkipError { .init(.notImported(secret)) }
    /// The secret was already postponed `max` times this cycle (`policy.max_skips`).
    public static func tooManySkips(secret: String, max: Int) -> SkipError { .init(.tooManySkips(secret: secret, max: max)) }

    /// The kind of refusal.
    public var code: Code {
        switch kind {
        case .reasonRequired: .reasonRequired
        case .notScheduled: .notScheduled
        case .notImported: .notImported
        case .tooManySkips: .tooManySkips
        }
    }

    public var description: String {
        switch kind {
        case .reasonRequired: "a reason is required (--reason \"…\")"
        case .notScheduled(let secret): "\(secret) has no schedule in its playbook: there is nothing to postpone"
        case .notImported(let secret): "\(secret) has no current version yet; `rotor import \(secret)` first"
        case .tooManySkips(let secret, let max):
            "\(secret) was already postponed \(max) time\(max == 1 ? "" : "s") this cycle (policy.max_skips); "
                + "an operator can still run `rotor skip \(secret) --override-compliance --reason …`"
        }
    }

    /// The code and its details, for logs.
    public var debugDescription: String {
        switch kind {
        case .reasonRequired: "SkipError.reasonRequired"
        case .notScheduled(let secret): "SkipError.notScheduled(secret: \(secret))"
        case .notImported(let secret): "SkipError.notImported(secret: \(secret))"
        case .tooManySkips(let secret, let max): "SkipError.tooManySkips(secret: \(secret), max: \(max))"
        }
    }
}
