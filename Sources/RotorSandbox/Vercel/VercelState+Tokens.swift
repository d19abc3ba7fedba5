import Foundation
import RotorCrypto

/// Access tokens (vercel-api.md "Access tokens"): mint, delete, and whether a bearer is accepted.
extension VercelState {
    /// `POST /v3/user/tokens` `{"name","expiresAt"?}` → `{"token":{…},"bearerToken":"…"}`; the bearer is
    /// shown only here.
    mutating func createToken(body: JSONValue?, now: Date) throws(APIFailure) -> JSONValue {
        guard case .object? = body, let body else {
            throw APIFailure.vercel(400, "bad_request", "Invalid request: the body should be an object.")
        }
        if let unknown = body.keys.first(where: { !["name", "expiresAt"].contains($0) }) {
            throw APIFailure.vercel(400, "bad_request", "Invalid request: should NOT have additional property `\(unknown)`.")
        }
        guard let name = body["name"]?.stringValue, !name.isEmpty else {
            throw APIFailure.vercel(400, "bad_request", "Invalid request: missing required property `name`.")
        }
        var expiresAt: Date?
        if let expiry = body["expiresAt"], !expiry.isNull {
            guard let ms = expiry.intValue, ms > Timestamp.milliseconds(now) else {
                throw APIFailure.vercel(400, "bad_request", "Invalid request: `expiresAt` should be a time in the future, in epoch milliseconds.")
            }
            expiresAt = Date(timeIntervalSince1970: Double(ms) / 1000)
        }
        let token = VercelToken(name: name, expiresAt: expiresAt, now: now)
        tokens.append(token)
        return ["token": token.json, "bearerToken": .string(token.bearer)]
    }

    /// `DELETE /v3/user/tokens/{id}` → `{"tokenId":…}`; the token is refused from then on.
    mutating func deleteToken(id: String, now: Date) throws(APIFailure) -> JSONValue {
        guard let index = tokens.firstIndex(where: { $0.id == id && $0.deletedAt == nil }) else {
            throw APIFailure.vercel(404, "not_found", "Token not found")
        }
        tokens[index].deletedAt = now
        return ["tokenId": .string(id)]
    }

    /// Whether `presented` is the world's token or a minted token still valid.
    func accepts(_ presented: String, worldToken: String, now: Date) -> Bool {
        let bytes = Array(presented.utf8)
        if ConstantTime.equals(bytes, Array(worldToken.utf8)) { return true }
        return tokens.contains { ConstantTime.equals(Array($0.bearer.utf8), bytes) && $0.isValid(at: now) }
    }
}
