import Foundation

/// An API key of an OpenAI project, owned by a user or by a service account.
struct OpenAIProjectKey: Sendable {
    enum Owner: Sendable {
        case user(id: String, name: String)
        case serviceAccount(id: String, name: String)
    }

    let id: String
    let projectId: String
    let name: String?
    let value: String
    let createdAt: Date
    let owner: Owner

    /// `organization.project.api_key`: the value only redacted, as OpenAI lists it.
    var json: JSONValue {
        let ownerJSON: JSONValue = switch owner {
        case .user(let id, let name):
            ["type": "user", "user": ["object": "organization.project.user", "id": .string(id), "name": .string(name),
                                      "role": "owner"]]
        case .serviceAccount(let id, let name):
            ["type": "service_account", "service_account": ["object": "organization.project.service_account", "id": .string(id),
                                                            "name": .string(name), "role": "member"]]
        }
        return ["object": "organization.project.api_key", "redacted_value": .string(redacted), "name": .optional(name),
                "created_at": .int(Int(createdAt.timeIntervalSince1970)), "last_used_at": nil, "id": .string(id),
                "owner": ownerJSON]
    }

    var isServiceAccountKey: Bool {
        if case .serviceAccount = owner { return true }
        return false
    }

    /// `sk-…abcd`: the prefix and the last four characters, as OpenAI shows keys.
    private var redacted: String {
        "sk-...\(value.suffix(4))"
    }
}
