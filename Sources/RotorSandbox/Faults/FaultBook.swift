/// The faults in force and how many more times each fires.
struct FaultBook: Sendable {
    struct Entry: Sendable {
        let id: String
        let fault: SandboxFault
        /// nil: until cleared.
        var remaining: Int?
    }

    private(set) var entries: [Entry] = []

    /// Adds a validated fault; returns its id.
    mutating func add(_ fault: SandboxFault) -> String {
        let id = SandboxID.make("flt_", length: 12)
        var remaining = fault.count
        if remaining == nil, [.status, .lostResponse, .failDeploy].contains(fault.kind) { remaining = 1 }
        entries.append(Entry(id: id, fault: fault, remaining: remaining))
        return id
    }

    mutating func clear() {
        entries.removeAll()
    }

    /// The total delay of the latency faults matching a request, each consumed once.
    mutating func latency(_ request: FaultRequest) -> Int {
        var total = 0
        // Reversed, so that removing a spent fault does not shift the indices still to visit.
        for index in indices(of: .latency, matching: request).reversed() {
            total += entries[index].fault.ms ?? 0
            consume(at: index)
        }
        return total
    }

    /// The first status (or, with `kind: .lostResponse`, lost response) fault matching a request, consumed once.
    mutating func takeStatus(_ request: FaultRequest, kind: SandboxFault.Kind = .status) -> SandboxFault? {
        guard let index = indices(of: kind, matching: request).first else { return nil }
        let fault = entries[index].fault
        consume(at: index)
        return fault
    }

    /// The phase in which the next deploy of a Render service fails, if a fault says so.
    mutating func takeDeployFailure(service: String) -> RenderDeploy.FailurePhase? {
        guard let index = entries.firstIndex(where: { $0.fault.kind == .failDeploy && $0.fault.service == service }) else {
            return nil
        }
        let phase = entries[index].fault.phase == "update" ? RenderDeploy.FailurePhase.update : .build
        consume(at: index)
        return phase
    }

    /// How the next deployment of a Vercel project (by id) fails, if a fault says so: its build
    /// (`ERROR`), or its deployment checks (`phase: "checks"`, READY with `checksConclusion: "failed"`).
    mutating func takeDeployFailure(projectId: String) -> VercelDeployment.Failure? {
        guard let index = entries.firstIndex(where: { $0.fault.kind == .failDeploy && $0.fault.project == projectId }) else {
            return nil
        }
        let failure = entries[index].fault.phase == "checks" ? VercelDeployment.Failure.checks : .build
        consume(at: index)
        return failure
    }

    /// Whether a deploy trigger of a Render service is answered 202 with no body.
    mutating func takeAccept202(service: String) -> Bool {
        guard let index = entries.firstIndex(where: { $0.fault.kind == .acceptDeploy202 && $0.fault.service == service }) else {
            return false
        }
        consume(at: index)
        return true
    }

    func isUnhealthy(app: String) -> Bool {
        entries.contains { $0.fault.kind == .unhealthy && $0.fault.app == app }
    }

    var json: JSONValue {
        .array(entries.map { entry in
            let fault = entry.fault
            var members: [(String, JSONValue)] = [("id", .string(entry.id)), ("kind", .string(fault.kind.rawValue)),
                                                  ("target", .string(fault.target.rawValue))]
            let optionals: [(String, JSONValue)] = [
                ("path_prefix", .optional(fault.pathPrefix)), ("method", .optional(fault.method)),
                ("status", .optional(fault.status)), ("retry_after", .optional(fault.retryAfter)), ("ms", .optional(fault.ms)),
                ("service", .optional(fault.service)), ("project", .optional(fault.project)), ("app", .optional(fault.app)),
                ("phase", .optional(fault.phase)),
            ]
            members += optionals.filter { !$0.1.isNull }
            members.append(("remaining", .optional(entry.remaining)))
            return .object(members)
        })
    }

    private func indices(of kind: SandboxFault.Kind, matching request: FaultRequest) -> [Int] {
        entries.indices.filter { index in
            let fault = entries[index].fault
            guard fault.kind == kind else { return false }
            if let method = fault.method, method.uppercased() != request.method { return false }
            let path: String
            if fault.target == .any {
                path = request.fullPath
            } else if fault.target == request.target {
                path = request.path
            } else {
                return false
            }
            return path.hasPrefix(fault.pathPrefix ?? "")
        }
    }

    private mutating func consume(at index: Int) {
        guard let remaining = entries[index].remaining else { return }
        if remaining <= 1 {
            entries.remove(at: index)
        } else {
            entries[index].remaining = remaining - 1
        }
    }
}
