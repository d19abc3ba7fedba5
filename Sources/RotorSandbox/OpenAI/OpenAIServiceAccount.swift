import Foundation

/// A service account of an OpenAI project, with the one API key created with it. Deleting the account
/// deletes its key: that is how a service-account key is revoked.
struct OpenAIServiceAccount: Sendable {
    let id: String
    let projectId: String
    let name: String
    let createdAt: Date
    let key: OpenAIProjectKey

    /// `organization.project.service_account` (the list and retrieve shape).
    var json: JSONValue {
        ["object": "organization.project.service_account", "id": .string(id), "name": .string(name), "role": "member",
         "created_at": .int(Int(createdAt.timeIntervalSince1970))]
    }

    /// The answer to a create: the account and, the only time it is shown, its key's value.
    var created: JSONValue {
        json.setting("api_key", [
            "object": "organization.project.service_account.api_key", "value": .string(key.value), "name": .optional(key.name),
            "created_at": .int(Int(key.createdAt.timeIntervalSince1970)), "id": .string(key.id),
        ])
    }
}
