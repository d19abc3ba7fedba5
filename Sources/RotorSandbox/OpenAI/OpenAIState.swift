import Foundation
import RotorCrypto

/// The emulated OpenAI organization (vendor-keys.md "OpenAI"): project service accounts, whose
/// creation is the only way to mint a project key, and project API keys, which can be listed,
/// read and deleted but not created. Keys of live service accounts are live keys that the sandbox's
/// apps and `GET /openai/v1/models` accept.
struct OpenAIState: Sendable {
    let projects: [String]
    private(set) var accounts: [OpenAIServiceAccount] = []
    private(set) var keys: [OpenAIProjectKey] = []

    init(world: SandboxWorld.OpenAI, now: Date) {
        projects = world.projects
        // Each project starts with a key of its owner, so list, retrieve and delete have something to show.
        keys = projects.map { project in
            OpenAIProjectKey(id: SandboxID.make("key_", length: 16), projectId: project, name: "owner key",
                             value: "sk-proj-" + Base62.randomString(length: 48), createdAt: now,
                             owner: .user(id: "user-sandbox", name: "Sandbox Owner"))
        }
    }

    func requireProject(_ id: String) throws(APIFailure) {
        guard projects.contains(id) else { throw Self.notFound("No project found with id '\(id)'.") }
    }

    // MARK: Service accounts

    /// `POST …/service_accounts` `{"name"}`: the account and its key, whose value is shown only here.
    mutating func createServiceAccount(project: String, body: JSONValue?, now: Date) throws(APIFailure) -> JSONValue {
        try requireProject(project)
        guard case .object? = body, let body else { throw Self.invalid("The body must be a JSON object.") }
        if let unknown = body.keys.first(where: { $0 != "name" }) { throw Self.invalid("Unrecognized request argument supplied: \(unknown)") }
        guard let name = body["name"]?.stringValue, !name.isEmpty else { throw Self.invalid("Missing required parameter: 'name'.") }
        let accountId = SandboxID.make("svc_acct_", length: 24)
        let key = OpenAIProjectKey(id: SandboxID.make("key_", length: 16), projectId: project, name: "Secret Key",
                                   value: "sk-svcacct-" + Base62.randomString(length: 48), createdAt: now,
                                   owner: .serviceAccount(id: accountId, name: name))
        let account = OpenAIServiceAccount(id: accountId, projectId: project, name: name, createdAt: now, key: key)
        accounts.append(account)
        keys.append(key)
        return account.created
    }

    func listServiceAccounts(project: String, after: String?, limit: String?) throws(APIFailure) -> JSONValue {
        try requireProject(project)
        return try Self.page(accounts.filter { $0.projectId == project }.map { ($0.id, $0.json) }, after: after, limit: limit)
    }

    func serviceAccount(project: String, id: String) throws(APIFailure) -> JSONValue {
        try requireProject(project)
        guard let account = accounts.first(where: { $0.projectId == project && $0.id == id }) else {
            throw Self.notFound("No such service account: '\(id)'.")
        }
        return account.json
    }

    /// `DELETE …/service_accounts/{id}`: the account and its key are gone; 404 when unknown (or deleted).
    mutating func deleteServiceAccount(project: String, id: String) throws(APIFailure) -> JSONValue {
        try requireProject(project)
        guard let index = accounts.firstIndex(where: { $0.projectId == project && $0.id == id }) else {
            throw Self.notFound("No such service account: '\(id)'.")
        }
        let account = accounts.remove(at: index)
        keys.removeAll { $0.id == account.key.id }
        return ["object": "organization.project.service_account.deleted", "id": .string(id), "deleted": true]
    }

    // MARK: Project API keys (list, retrieve, delete: no create)

    func listKeys(project: String, after: String?, limit: String?) throws(APIFailure) -> JSONValue {
        try requireProject(project)
        return try Self.page(keys.filter { $0.projectId == project }.map { ($0.id, $0.json) }, after: after, limit: limit)
    }

    func key(project: String, id: String) throws(APIFailure) -> JSONValue {
        try keys[keyIndex(project: project, id: id)].json
    }

    /// `DELETE …/api_keys/{id}`: refused (400) for a service account's key; delete the account instead.
    mutating func deleteKey(project: String, id: String) throws(APIFailure) -> JSONValue {
        let index = try keyIndex(project: project, id: id)
        guard !keys[index].isServiceAccountKey else {
            throw Self.invalid("API keys owned by a service account cannot be deleted; delete the service account instead.")
        }
        keys.remove(at: index)
        return ["object": "organization.project.api_key.deleted", "id": .string(id), "deleted": true]
    }

    /// Whether `value` is the value of a key that exists (a deleted key, or a deleted account's, is dead).
    func isLive(value: String) -> Bool {
        let bytes = Array(value.utf8)
        return keys.contains { ConstantTime.equals(Array($0.value.utf8), bytes) }
    }

    private func keyIndex(project: String, id: String) throws(APIFailure) -> Int {
        try requireProject(project)
        guard let index = keys.firstIndex(where: { $0.projectId == project && $0.id == id }) else {
            throw Self.notFound("No such API key: '\(id)'.")
        }
        return index
    }

    // MARK: Lists and errors

    /// An OpenAI list page: `{"object":"list","data","first_id","last_id","has_more"}`, after the item `after`.
    private static func page(_ items: [(String, JSONValue)], after: String?, limit: String?) throws(APIFailure) -> JSONValue {
        var count = 20
        if let limit {
            guard let value = Int(limit), (1...100).contains(value) else { throw invalid("'limit' must be an integer from 1 to 100.") }
            count = value
        }
        var rest = items[...]
        if let after {
            guard let index = items.firstIndex(where: { $0.0 == after }) else { throw invalid("Invalid 'after': no item '\(after)'.") }
            rest = items[(index + 1)...]
        }
        let page = Array(rest.prefix(count))
        return ["object": "list", "data": .array(page.map(\.1)), "first_id": .optional(page.first?.0),
                "last_id": .optional(page.last?.0), "has_more": .bool(rest.count > page.count)]
    }

    static func invalid(_ message: String) -> APIFailure {
        .openAI(400, "invalid_request_error", message)
    }

    static func notFound(_ message: String) -> APIFailure {
        .openAI(404, "invalid_request_error", message)
    }
}
