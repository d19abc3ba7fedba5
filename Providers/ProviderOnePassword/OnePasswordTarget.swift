import Foundation
import RotorCore
import RotorHTTP

/// Keeps a secret in one field of a 1Password item, through the 1Password Connect API (the password
/// manager step of a rotation recipe): `apply` reads the item, finds the field by id or label, and
/// replaces only that field's value with an RFC 6902 PATCH (`PUT` would replace the whole item and its
/// generated-password metadata). `restore` writes Rotor's previous value back the same way.
public struct OnePasswordTarget: SecretTarget {
    public static let schema = ProviderSchema(kind: .target, name: "1password", fields: [
        FieldSpec("connect", .url, required: true, doc: "the Connect server's base URL, e.g. http://connect.internal:8080"),
        FieldSpec("token", .credentialRef, required: true, doc: "the Connect access token, e.g. env:OP_CONNECT_TOKEN"),
        FieldSpec("vault", .nonEmptyString, required: true, doc: "the vault's id (26 characters)"),
        FieldSpec("item", .nonEmptyString, required: true, doc: "the item's id (26 characters)"),
        FieldSpec("field", .nonEmptyString, required: true, doc: "the field's id or label, e.g. credential or OPENAI_API_KEY"),
    ], labelFields: ["item", "field"])

    public var connect: String
    public var tokenReference: String
    public var vault: String
    public var item: String
    public var field: String
    let client: RetryingHTTPClient
    let credentials: CredentialResolver

    /// A target from a validated playbook configuration.
    public init(config: ProviderConfig, client: RetryingHTTPClient, credentials: CredentialResolver) {
        connect = config.string("connect") ?? ""
        tokenReference = config.string("token") ?? ""
        vault = config.string("vault") ?? ""
        item = config.string("item") ?? ""
        field = config.string("field") ?? ""
        self.client = client
        self.credentials = credentials
    }

    public var label: String { "1password \(item) \(field)" }
    public var provider: String { "1password" }

    public func apply(_ value: SecretValue, _ context: StepContext) async throws {
        try await write(value.revealed, secrets: [value.revealed], action: "write")
    }

    /// Writes the previous value back; with none (the field was not Rotor's before), empties the field.
    public func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
        if previous == nil {
            context.logger.warning("1password target: no previous value on record; emptying the field", metadata: [
                "vault": "\(vault)", "item": "\(item)", "field": "\(field)",
            ])
        }
        try await write(previous?.revealed ?? "", secrets: previous.map { [$0.revealed] } ?? [], action: "restore")
    }

    private func write(_ value: String, secrets: [String], action: String) async throws {
        let token = try await credentials.resolve(try CredentialReference(parsing: tokenReference)).revealed
        let http = VendorAPIClient(base: connect, token: token, secrets: [token] + secrets, client: client,
                                   dialect: OnePasswordDialect(label: label, vault: vault, item: item, tokenReference: tokenReference))
        let path = "/v1/vaults/\(http.segment(vault))/items/\(http.segment(item))"
        let read = try await http.send(.GET, path, action: "read the item", subject: "item \(item)")
        let fieldID = try fieldID(in: try http.decode(Item.self, from: read, action: "read the item"))
        let patch = [Operation(op: "replace", path: "/fields/\(fieldID)/value", value: value)]
        // Replacing a field's value with the same value twice leaves the same item: safe to retry.
        _ = try await http.send(.PATCH, path, body: try http.json(patch), idempotent: true,
                                action: "\(action) field \(field)", subject: "item \(item)")
    }

    /// Reads the item (`GET /v1/vaults/{vault}/items/{item}`) and finds the field: the token resolves, Connect
    /// accepts it for the vault, and the item has the field. No value is kept or shown.
    public func readOnlyCheck() async -> ReadOnlyCheck {
        do {
            let token = try await credentials.resolve(try CredentialReference(parsing: tokenReference)).revealed
            let http = VendorAPIClient(base: connect, token: token, secrets: [token], client: client,
                                       dialect: OnePasswordDialect(label: label, vault: vault, item: item, tokenReference: tokenReference))
            let read = try await http.send(.GET, "/v1/vaults/\(http.segment(vault))/items/\(http.segment(item))",
                                           action: "read the item", subject: "item \(item)")
            _ = try fieldID(in: try http.decode(Item.self, from: read, action: "read the item"))
            return .passed("the token reads item \(item) in vault \(vault), which has field \(field)")
        } catch {
            return .failed("\(error)")
        }
    }

    /// The id of the configured field: an id match first, else the one field with that label.
    private func fieldID(in item: Item) throws -> String {
        let fields = item.fields ?? []
        if fields.contains(where: { $0.id == field }) { return field }
        let labelled = fields.filter { $0.label == field }
        guard labelled.count == 1, let match = labelled.first else {
            let labels = fields.compactMap(\.label).filter { !$0.isEmpty }.joined(separator: ", ")
            throw OnePasswordError(.noSuchField, labelled.isEmpty
                ? "\(label): item \(self.item) in vault \(vault) has no field with id or label \(field) (its labels: \(labels)); fix `field`"
                : "\(label): item \(self.item) in vault \(vault) has \(labelled.count) fields labelled \(field); set `field` to the id of one")
        }
        return match.id
    }

    private struct Item: Decodable {
        struct Field: Decodable { var id: String; var label: String? }
        var fields: [Field]?
    }

    private struct Operation: Encodable { var op: String; var path: String; var value: String }
}
