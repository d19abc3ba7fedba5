import RotorCore

/// Errors of the key table, each saying what to do next. Never carries a key.
public enum KeyTableError: Error, CustomStringConvertible, Equatable {
    case invalidInput(String)
    case unknownKey(String)
    case notActive(id: String, status: APIKeyStatus)
    case claimRefused(String)

    public var description: String {
        switch self {
        case .invalidInput(let message): message
        case .unknownKey(let id): "no API key \(id); list keys with `rotor keys list`"
        case .notActive(let id, let status): "key \(id) is \(status.rawValue); only an active key can be rotated"
        case .claimRefused(let why): "claim refused: \(why)"
        }
    }
}
