extension Sandbox {
    /// Performs an Instant Rollback of a Vercel project (id or name) to `deploymentId`, by default the
    /// READY production deployment before the one served; new production deployments then stay unpromoted.
    ///
    /// - Throws: `SandboxError` for an unknown project or when there is nothing to roll back to.
    public func instantRollback(project: String, to deploymentId: String? = nil) async throws {
        try await scenario {
            try await store.withVercel { state, _, now in
                try state.rollback(project: try state.anyProjectIndex(project), to: deploymentId, now: now)
            }
        }
    }

    /// Ends an Instant Rollback: the newest promoted production deployment is served again.
    public func undoRollback(project: String) async throws {
        try await scenario {
            try await store.withVercel { state, _, _ in state.undoRollback(project: try state.anyProjectIndex(project)) }
        }
    }

    /// Creates a preview deployment of `branch` (app `{project}-preview-{branch}`) with the variables as they are now.
    public func createPreview(project: String, branch: String) async throws {
        guard WorldValidator.isBranchName(branch) else { throw SandboxError("'\(branch)' is not a branch name the sandbox accepts") }
        try await scenario {
            _ = try await store.withVercel { state, _, now in
                state.createPreview(project: try state.anyProjectIndex(project), branch: branch, now: now)
            }
        }
    }

    /// Pushes a new head to a Render service's branch (a random commit id when nil); returns the head.
    @discardableResult
    public func pushCommit(service: String, commit: String? = nil) async throws -> String {
        try await scenario {
            try await store.withRender { state, _, _ in
                try state.push(service: try state.serviceIndex(service), commit: commit)["head"]?.stringValue ?? ""
            }
        }
    }

    /// Sets a Render service's variable as an operator would in the dashboard (no deploy).
    public func setByHand(service: String, key: String, value: String) async throws {
        try await scenario {
            _ = try await store.withRender { state, _, _ in
                try state.putEnvVar(service: try state.serviceIndex(service), key: key, body: ["value": .string(value)])
            }
        }
    }

    /// What a Render service's live deploy runs: its commit id, or its image ref for an image-backed service.
    public func liveSource(service: String) async -> String? {
        await store.withRender { state, _, now in
            guard let index = try? state.serviceIndex(service), let live = state.services[index].liveDeploy(at: now) else { return nil }
            switch live.source {
            case .commit(let id): return id
            case .image(let ref): return ref
            }
        }
    }

    /// Whether Vercel env list entries carry `id` (the SDK's schema makes it optional).
    public func setVercelListsEnvIds(_ listsIds: Bool) async {
        await store.withVercel { state, _, _ in state.listsEnvIds = listsIds }
    }

    /// The value of the field labelled `label` in a 1Password item.
    public func onePasswordValue(item: String = SandboxWorld.OnePassword.itemId, label: String) async -> String? {
        await store.withOnePassword { state, _ in state.fieldValue(item: item, label: label) }
    }

    /// Runs an admin change, turning an API failure into a `SandboxError` that names what went wrong.
    private func scenario<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as APIFailure {
            let message = failure.body?["error"]?["message"]?.stringValue ?? failure.body?["message"]?.stringValue ?? "\(failure.status.code)"
            throw SandboxError(message)
        }
    }
}
