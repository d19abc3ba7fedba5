import Foundation
import Hummingbird
import RotorCore
import RotorCrypto

/// Checks `Authorization: Bearer …` against the configured admin token.
enum BearerToken {
    /// Throws 503 when no admin token is configured, 401 when the header is missing or wrong.
    ///
    /// Both sides are hashed before the constant-time compare so that neither the content nor the
    /// length of the configured token shows in the timing.
    static func require(_ request: Request, expected: SecretValue?, endpoint: String) throws {
        guard let expected, !expected.bytes.isEmpty else {
            throw ServerError(.serviceUnavailable, "\(endpoint) endpoint disabled",
                              hint: "set an admin token in the server configuration to enable it")
        }
        let challenge: HTTPFields = [.wwwAuthenticate: "Bearer realm=\"rotor\""]
        guard let presented = presented(request) else {
            throw ServerError(.unauthorized, "missing admin bearer token",
                              hint: "send Authorization: Bearer <admin token>", headers: challenge)
        }
        guard ConstantTime.equals(SHA256.hash(Array(presented.utf8)), SHA256.hash(expected.bytes)) else {
            throw ServerError(.unauthorized, "the admin bearer token is not valid",
                              hint: "check the admin token the server was configured with", headers: challenge)
        }
    }

    private static func presented(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
