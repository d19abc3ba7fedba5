import Foundation
import RotorCrypto

/// An item in a 1Password vault, as Connect shows it: `fields` with `id`, `label`, `type`, `purpose`
/// and `value`. Every write bumps `version`.
struct OnePasswordItem: Sendable {
    struct Field: Sendable {
        var id: String
        var label: String
        var type: String
        var purpose: String
        var value: String?

        var json: JSONValue {
            var members: [(String, JSONValue)] = [("id", .string(id)), ("type", .string(type)), ("label", .string(label))]
            if !purpose.isEmpty { members.append(("purpose", .string(purpose))) }
            if let value { members.append(("value", .string(value))) }
            return .object(members)
        }

        /// A field from a request body; one without `id` gets a new 26-character id.
        static func parse(_ json: JSONValue) throws(APIFailure) -> Field {
            guard case .object = json else { throw APIFailure.onePassword(400, "Invalid field: must be an object") }
            let value = json["value"]
            guard value == nil || value!.isNull || value!.stringValue != nil else {
                throw APIFailure.onePassword(400, "Invalid field: value must be a string")
            }
            return Field(id: json["id"]?.stringValue ?? OnePasswordItem.newId(), label: json["label"]?.stringValue ?? "",
                         type: json["type"]?.stringValue ?? "STRING", purpose: json["purpose"]?.stringValue ?? "",
                         value: value?.stringValue)
        }
    }

    let id: String
    let vaultId: String
    var title: String
    var category: String
    var tags: [String]
    var fields: [Field]
    var version: Int
    let createdAt: Date
    var updatedAt: Date

    /// The full item (`GET …/items/{id}`, and the answer to PATCH and PUT).
    var json: JSONValue {
        summary.setting("fields", .array(fields.map(\.json)))
    }

    /// The item without its fields, as `GET …/items` lists it.
    var summary: JSONValue {
        ["id": .string(id), "title": .string(title), "vault": ["id": .string(vaultId)], "category": .string(category),
         "tags": .strings(tags), "version": .int(version), "createdAt": .string(Timestamp.rfc3339(createdAt)),
         "updatedAt": .string(Timestamp.rfc3339(updatedAt))]
    }

    /// A 1Password UUID: 26 characters of `[a-z0-9]`.
    static func newId() -> String {
        String(Base62.randomString(length: 40).lowercased().filter { $0.isLetter || $0.isNumber }.prefix(26))
    }

    static func isId(_ text: String) -> Bool {
        text.count == 26 && text.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }
}
