import RotorCore

extension VercelTarget {
    /// Lists the project's environment variables (`GET /v10/projects/{p}/env`): the token resolves, Vercel
    /// accepts it, and it reaches the project (and team). Values stay encrypted and are not kept.
    public func readOnlyCheck() async -> ReadOnlyCheck {
        do {
            let vercel = try await session(secrets: [])
            let found = try await vercel.variables(named: key)
            return .passed("the token lists the variables of project \(project) (\(found.count) entr\(found.count == 1 ? "y" : "ies") named \(key))")
        } catch {
            return .failed("\(error)")
        }
    }
}
