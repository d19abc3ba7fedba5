import RotorCore

extension RenderTarget {
    /// Looks up the service (`GET /services/{id}/env-vars?limit=1`) or the env group (`GET /env-groups/{id}`):
    /// the API key resolves, Render accepts it, and it reaches what the playbook names. Nothing is printed of
    /// what it answers.
    public func readOnlyCheck() async -> ReadOnlyCheck {
        do {
            let render = try await session(secrets: [])
            switch scope {
            case .service(let service):
                try await render.lookUpService(service)
                return .passed("the API key reaches service \(service)")
            case .envGroup(let group):
                let services = try await render.linkedServices(group: group)
                return .passed("the API key reaches env group \(group) (\(services.count) linked service\(services.count == 1 ? "" : "s"))")
            }
        } catch {
            return .failed("\(error)")
        }
    }
}
