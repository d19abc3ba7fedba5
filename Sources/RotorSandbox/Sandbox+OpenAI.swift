extension Sandbox {
    /// A project service account as a test sees it: id, name and its key's value.
    public struct OpenAIAccount: Sendable, Equatable {
        public var id: String
        public var name: String
        public var key: String
    }

    /// The service accounts of an OpenAI project (default `proj_sandbox`), oldest first.
    public func openAIServiceAccounts(project: String = "proj_sandbox") async -> [OpenAIAccount] {
        await store.withOpenAI { state, _ in
            state.accounts.filter { $0.projectId == project }.map { OpenAIAccount(id: $0.id, name: $0.name, key: $0.key.value) }
        }
    }

    /// Creates a service account as `POST …/service_accounts` would (to give Rotor a first key to import).
    public func createOpenAIServiceAccount(name: String, project: String = "proj_sandbox") async throws -> OpenAIAccount {
        let created = try await store.withOpenAI { state, now in
            try state.createServiceAccount(project: project, body: ["name": .string(name)], now: now)
        }
        return OpenAIAccount(id: created["id"]?.stringValue ?? "", name: name, key: created["api_key"]?["value"]?.stringValue ?? "")
    }

    /// Whether OpenAI accepts `value` as a key now (a live service account's or project key).
    public func isOpenAIKeyLive(_ value: String) async -> Bool {
        await store.withOpenAI { state, _ in state.isLive(value: value) }
    }
}
