import Foundation
import RotorCore
import RotorHTTP

/// A source that mints keys through a vendor's key API and revokes them there: the way OpenAI-, Stripe-
/// or GitHub-style keys are rotated.
///
/// `mint` and `revoke` are request templates. Their URL, header values and JSON body may use
/// `{{token}}` (the admin credential from `token`), `{{idempotency_key}}` (stable across retries of the
/// step), `{{secret}}` (the secret's name), `{{rotation_id}}` (the rotation's id) and, in `revoke` only,
/// `{{handle}}` and `{{value}}` (the
/// credential being revoked). A revoke answered 404 or 410 counts as done: the key is already gone.
/// Every mint carries `Idempotency-Key`, so a vendor that honours it answers
/// a retried mint with the same key instead of a second one.
///
/// Without `revoke` the source cannot revoke: revoke is then a no-op that logs a warning, and old keys stay
/// valid at the vendor until someone revokes them by hand (`label` says so).
///
/// For a vendor without idempotency keys (OpenAI service accounts), `leftovers:` says how to find what a
/// retried mint left behind by name (see `Leftovers`): on rollback every credential named for the rotation
/// is deleted, and maintenance (`HTTPLeftoverMaintenance`) deletes those of rotations that are over.
public struct HTTPSource: CredentialSource {
    public static let schema = ProviderSchema(kind: .source, name: "http", fields: [
        FieldSpec("mint", .object(RequestTemplate.fields), required: true, doc: "the request that creates a key"),
        FieldSpec("revoke", .object(RequestTemplate.fields), doc: "the request that revokes a key; without it old keys stay valid"),
        FieldSpec("value", .jsonPointer, required: true, doc: "JSON pointer to the new secret in the mint response, e.g. /value"),
        FieldSpec("handle", .jsonPointer, doc: "JSON pointer to the vendor's id for the key, e.g. /id (for {{handle}} in revoke)"),
        FieldSpec("token", .credentialRef, doc: "the admin credential for {{token}}, e.g. env:VENDOR_ADMIN_TOKEN"),
        FieldSpec("timeout", .duration, doc: "per request, default 30s"),
        FieldSpec("leftovers", .object(Leftovers.fields),
                  doc: "how to find credentials a retried mint left behind, by the name each mint gives (with {{rotation_id}})"),
    ], rules: { PlaceholderRules.source($0) + Leftovers.problems($0) })

    let mintTemplate: RequestTemplate
    let revokeTemplate: RequestTemplate?
    let revokeUsesHandle: Bool
    let valuePointer: String
    let handlePointer: String?
    let token: CredentialReference?
    let leftovers: Leftovers?
    let timeout: Duration
    let client: RetryingHTTPClient
    let credentials: CredentialResolver

    /// A source from a validated playbook configuration.
    public init(config: ProviderConfig, client: RetryingHTTPClient, credentials: CredentialResolver) {
        mintTemplate = RequestTemplate(config.value("mint"), defaultMethod: .POST)
            ?? RequestTemplate(.map([]), defaultMethod: .POST)!
        revokeTemplate = RequestTemplate(config.value("revoke"), defaultMethod: .DELETE)
        revokeUsesHandle = PlaceholderRules.revokeUsesHandle(config.value("revoke"))
        valuePointer = config.string("value") ?? ""
        handlePointer = config.string("handle")
        token = config.string("token").flatMap { try? CredentialReference(parsing: $0) }
        leftovers = Leftovers(config.value("leftovers"))
        timeout = config.duration("timeout") ?? .seconds(30)
        self.client = client
        self.credentials = credentials
    }

    /// Names the source in messages, e.g. `http POST https://api.vendor.example/v1/keys`, with a warning
    /// when it cannot revoke.
    public var label: String {
        "http \(mintTemplate.summary)" + (revokeTemplate == nil ? " (no revoke configured: old keys stay valid at the vendor)" : "")
    }

    /// False without a `revoke` request: old keys stay valid at the vendor.
    public var canRevoke: Bool { revokeTemplate != nil }

    /// True when the revoke request uses `{{handle}}`: a value imported without one could never be revoked.
    public var revokeNeedsHandle: Bool { revokeUsesHandle }

    public func mint(_ context: StepContext) async throws -> MintedCredential {
        let tokenValue = try await resolveToken()
        let placeholders = Placeholders(
            values: common(context, token: tokenValue),
            unavailable: ["handle": "{{handle}} is only available in revoke", "value": "{{value}} is only available in revoke"])
        var request = try mintTemplate.request(placeholders, action: "mint")
        request.headers.replaceOrAdd(name: "Idempotency-Key", value: context.idempotencyKey)
        // The vendor answers a repeated Idempotency-Key with the key it already minted, so a retry is safe.
        request.isIdempotent = true
        let response = try await send(request, action: "mint", secrets: tokenValue.map { [$0] } ?? [])

        let document = try parse(response, action: "mint")
        let value = try string(at: valuePointer, field: "value", in: document, allowNumber: false)
        let handle = try handlePointer.map { try string(at: $0, field: "handle", in: document, allowNumber: true) }
        return MintedCredential(value: SecretValue(value), handle: handle)
    }

    public func revoke(_ credential: StoredCredential, _ context: StepContext) async throws {
        _ = try await revokeWithOutcome(credential, context)
    }

    public func revokeWithOutcome(_ credential: StoredCredential, _ context: StepContext) async throws -> RevokeOutcome {
        guard let revokeTemplate else {
            context.logger.warning("http source has no revoke request: the old key stays valid at the vendor; revoke it by hand", metadata: [
                "secret": "\(context.secret)", "version": "\(credential.versionID)", "key": "\(credential.value.display)",
            ])
            return .revoked
        }
        let tokenValue = try await resolveToken()
        var values = common(context, token: tokenValue)
        values["value"] = credential.value.revealed
        var unavailable: [String: String] = [:]
        if let handle = credential.handle {
            values["handle"] = handle
        } else {
            unavailable["handle"] = "version \(credential.versionID) has no handle (it was stored without one, "
                + "or the source has no `handle` pointer); revoke it by hand"
        }
        var request = try revokeTemplate.request(Placeholders(values: values, unavailable: unavailable), action: "revoke")
        // Revoking twice leaves the key revoked: a retry is safe whatever the method.
        request.isIdempotent = true
        let response = try await send(request, action: "revoke", secrets: (tokenValue.map { [$0] } ?? []) + [credential.value.revealed],
                                      accepting: Self.alreadyRevoked)
        if context.step == .revokeNew, leftovers != nil {
            try await deleteLeftovers(of: context, keeping: credential.handle)
        }
        if Self.alreadyRevoked.contains(response.status) {
            // Vendors answer a revoke of a revoked (deleted) key with 404 or 410: the key is dead, which is
            // what revoke promises, so a retry after a crash or a second rotation's cleanup succeeds.
            context.logger.notice("http source revoke: the vendor says the key is already revoked", metadata: [
                "secret": "\(context.secret)", "version": "\(credential.versionID)", "key": "\(credential.value.display)",
                "http.status": "\(response.status)",
            ])
            return .alreadyRevoked
        }
        return .revoked
    }

    /// Statuses of a revoke that mean the key is already gone at the vendor.
    static let alreadyRevoked: Set<Int> = [404, 410]

    // MARK: - Requests

    private func common(_ context: StepContext, token: String?) -> [String: String] {
        var values = ["idempotency_key": context.idempotencyKey, "secret": context.secret, "rotation_id": context.rotationID]
        if let token { values["token"] = token }
        return values
    }

    func resolveToken() async throws -> String? {
        guard let token else { return nil }
        return try await credentials.resolve(token).revealed
    }

    /// Performs `request` and returns a 2xx response; anything else becomes an error that names the request,
    /// the status and the vendor's message, with every secret scrubbed.
    func send(_ request: HTTPRequest, action: String, secrets: [String], accepting: Set<Int> = []) async throws -> HTTPResponse {
        var request = request
        request.timeout = timeout
        request.secrets = secrets
        let redactor = HTTPRedactor(secrets: secrets)
        let target = "\(request.method.rawValue) \(redactor.redactURL(request.url))"
        let response: HTTPResponse
        do {
            response = try await client.execute(request)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw HTTPSourceError("http source \(action): \(target) failed: \(redactor.redact("\(error)")); "
                                  + "check that the vendor is reachable, then retry")
        }
        guard (200..<300).contains(response.status) || accepting.contains(response.status) else {
            let message = VendorMessage.extract(from: response.body).map { ": " + String(redactor.redact($0).prefix(300)) } ?? ""
            throw HTTPSourceError("http source \(action): \(target) answered HTTP \(response.status)\(message); "
                                  + hint(status: response.status, action: action))
        }
        return response
    }

    private func hint(status: Int, action: String) -> String {
        switch status {
        case 401, 403:
            if let token { return "the vendor refused the token \(token); check that it is valid and may \(action) keys" }
            return "the vendor wants a credential: set `token` and send it, e.g. Authorization: Bearer {{token}}"
        case 404:
            return action == "revoke" ? "check the revoke url and the key's handle" : "check the mint url"
        case 409:
            return "the vendor refused a repeated Idempotency-Key; a new rotation uses a new key"
        case 429:
            return "the vendor is still rate limiting after retries; try again later"
        case 500...599:
            return "the vendor failed; try again later"
        default:
            return "check the \(action) request in the playbook"
        }
    }

    // MARK: - Responses

    func parse(_ response: HTTPResponse, action: String) throws -> Any {
        guard let document = try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed]) else {
            // The body may carry the new key: say what it is not, never what it is.
            throw HTTPSourceError("http source \(action): the vendor answered HTTP \(response.status) with a body that is not JSON "
                                  + "(\(response.body.count) bytes); check the \(action) url")
        }
        return document
    }

    private func string(at text: String, field: String, in document: Any, allowNumber: Bool) throws -> String {
        let pointer = try JSONPointer(parsing: text)
        guard let found = pointer.resolve(in: document) else {
            let keys = (document as? [String: Any]).map { " (its top-level members: " + $0.keys.sorted().joined(separator: ", ") + ")" } ?? ""
            throw HTTPSourceError("http source mint: the response has nothing at `\(field): \(text)`\(keys); fix the pointer in the playbook")
        }
        if let string = found as? String, !string.isEmpty { return string }
        if allowNumber, let number = found as? NSNumber { return number.stringValue }
        throw HTTPSourceError("http source mint: `\(field): \(text)` points at \(Self.kind(of: found)), not a non-empty string; "
                              + "fix the pointer in the playbook")
    }

    private static func kind(of value: Any) -> String {
        switch value {
        case is String: "an empty string"
        case is [String: Any]: "an object"
        case is [Any]: "an array"
        case is NSNull: "null"
        default: "a number or boolean"
        }
    }
}
