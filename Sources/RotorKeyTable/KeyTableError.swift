import RotorCore

/// Errors of the key table, each saying what to do next. Never carries a key.
///
/// A struct over a private enum, so new cases do not break callers: match with ``code``, or compare with `==`.
public struct KeyTableError: Error, CustomStringConvertible, CustomDebugStringConvertible, Equatable {
    /// The kind of failure, for matching.
    public enum Code: String, Sendable, Equatable {
        case invalidInput
        case unknownKey
        case notActive
        case claimRefused
    }

    private enum Kind: Equatable {
        case invalidInput(String)
        case unknownKey(String)
        case notActive(id: String, status: APIKeyStatus)
        case claimRefused(String)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// The input was refused; `message` says what is wrong with it.
    public static func invalidInput(_ message: String) -> KeyTableError { .init(.invalidInput(message)) }
    /// There is no API key with this id.
    public static func unknownKey(_ id: String) -> KeyTableError { .init(.unknownKey(id)) }
    /// The key is not active (`status`), and only an active key can be rotated.
    public static func notActive(id: String, status: APIKeyStatus) -> KeyTableError { .init(.notActive(id: id, status: status)) }
    /// A customer's claim of a rotated key was refused; `why` says why, without any key.
    public static func claimRefused(_ why: String) -> KeyTableError { .init(.claimRefused(why)) }

    /// The kind of failure.
    public var code: Code {
        switch kind {
        case .invalidInput: .invalidInput
        case .unknownKey: .unknownKey
        case .notActive: .notActive
        case .claimRefused: .claimRefused
        }
    }

    public var description: String {
        switch kind {
        case .invalidInput(let message): message
        case .unknownKey(let id): "no API key \(id); list keys with `rotor keys list`"
        case .notActive(let id, let status): "key \(id) is \(status.rawValue); only an active key can be rotated"
        case .claimRefused(let why): "claim refused: \(why)"
        }
    }

    /// The code and its details, for logs.
    public var debugDescription: String {
        switch kind {
        case .invalidInput(let message): "KeyTableError.invalidInput(\(message))"
        case .unknownKey(let id): "KeyTableError.unknownKey(id: \(id))"
        case .notActive(let id, let status): "KeyTableError.notActive(id: \(id), status: \(status.rawValue))"
        case .claimRefused(let why): "KeyTableError.claimRefused(\(why))"
        }
    }
}
