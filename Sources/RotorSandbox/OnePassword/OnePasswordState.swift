import Foundation

/// The emulated 1Password Connect server (vendor-keys.md "1Password Connect"): vaults, items, and
/// the reads and writes a rotation's "update in password manager" step needs.
struct OnePasswordState: Sendable {
    struct Vault: Sendable {
        let id: String
        let name: String
        /// Whether the Connect token may use it; otherwise 403.
        let granted: Bool
    }

    let vaults: [Vault]
    private(set) var items: [OnePasswordItem]

    init(appKey: String, initialKey: String, now: Date) {
        vaults = [Vault(id: SandboxWorld.OnePassword.vaultId, name: "Rotor sandbox", granted: true),
                  Vault(id: SandboxWorld.OnePassword.restrictedVaultId, name: "Restricted", granted: false)]
        items = [OnePasswordItem(
            id: SandboxWorld.OnePassword.itemId, vaultId: SandboxWorld.OnePassword.vaultId, title: "OpenAI API key",
            category: "API_CREDENTIAL", tags: ["rotor"],
            fields: [.init(id: SandboxWorld.OnePassword.fieldId, label: appKey, type: "CONCEALED", purpose: "", value: initialKey),
                     .init(id: "notesPlain", label: "notesPlain", type: "STRING", purpose: "NOTES", value: "rotated by rotor")],
            version: 1, createdAt: now, updatedAt: now)]
    }

    /// `GET /v1/vaults/{vault}/items?filter=title eq "…"`: item summaries, without fields.
    func list(vault: String, filter: String?) throws(APIFailure) -> JSONValue {
        try requireVault(vault)
        var matching = items.filter { $0.vaultId == vault }
        if let filter {
            let title = try Self.title(inFilter: filter)
            matching = matching.filter { $0.title == title }
        }
        return .array(matching.map(\.summary))
    }

    func item(vault: String, id: String) throws(APIFailure) -> JSONValue {
        try items[index(vault: vault, id: id)].json
    }

    /// `PATCH`: the RFC 6902 operations, applied all or nothing.
    mutating func patch(vault: String, id: String, body: JSONValue?, now: Date) throws(APIFailure) -> JSONValue {
        let index = try index(vault: vault, id: id)
        var item = try OnePasswordPatch.parse(body).apply(to: items[index])
        item.version += 1
        item.updatedAt = now
        items[index] = item
        return item.json
    }

    /// `PUT`: the body is the whole new item (its fields replace every field, metadata included).
    mutating func replace(vault: String, id: String, body: JSONValue?, now: Date) throws(APIFailure) -> JSONValue {
        let index = try index(vault: vault, id: id)
        guard case .object? = body, let body else { throw APIFailure.onePassword(400, "Invalid item: the body must be an item object") }
        if let bodyId = body["id"]?.stringValue, bodyId != id {
            throw APIFailure.onePassword(400, "Invalid item: the item id in the body does not match the URL")
        }
        if let bodyVault = body["vault"]?["id"]?.stringValue, bodyVault != vault {
            throw APIFailure.onePassword(400, "Invalid item: the vault id in the body does not match the URL")
        }
        guard let title = body["title"]?.stringValue, let category = body["category"]?.stringValue else {
            throw APIFailure.onePassword(400, "Invalid item: \"title\" and \"category\" are required")
        }
        var fields: [OnePasswordItem.Field] = []
        for field in body["fields"]?.arrayValue ?? [] { fields.append(try .parse(field)) }
        var item = items[index]
        item.title = title
        item.category = category
        item.tags = body["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
        item.fields = fields
        item.version += 1
        item.updatedAt = now
        items[index] = item
        return item.json
    }

    /// The value of the field labelled `label` of an item (for the sandbox's inspection).
    func fieldValue(item id: String, label: String) -> String? {
        items.first { $0.id == id }?.fields.first { $0.label == label }?.value
    }

    private func requireVault(_ id: String) throws(APIFailure) {
        guard OnePasswordItem.isId(id), let vault = vaults.first(where: { $0.id == id }) else {
            throw APIFailure.onePassword(404, "vault \(id) not found")
        }
        guard vault.granted else { throw APIFailure.onePassword(403, "Authorization: the token may not access vault \(id)") }
    }

    private func index(vault: String, id: String) throws(APIFailure) -> Int {
        try requireVault(vault)
        guard let index = items.firstIndex(where: { $0.vaultId == vault && $0.id == id }) else {
            throw APIFailure.onePassword(404, "item \(id) not found in vault \(vault)")
        }
        return index
    }

    /// The title of a `title eq "…"` filter, the only filter Connect supports.
    private static func title(inFilter filter: String) throws(APIFailure) -> String {
        let trimmed = filter.trimmingCharacters(in: .whitespaces)
        let prefix = "title eq \""
        guard trimmed.hasPrefix(prefix), trimmed.hasSuffix("\""), trimmed.count > prefix.count else {
            throw APIFailure.onePassword(400, "Invalid filter: only title eq \"…\" is supported")
        }
        return String(trimmed.dropFirst(prefix.count).dropLast())
    }
}
