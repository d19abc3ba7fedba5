extension Playbook {
    /// A journal step key as people know it: `propagate:2` is "write render srv-api OPENAI_API_KEY". Keys this
    /// playbook cannot name (it changed since) come back as they are.
    public func stepLabel(_ key: String) -> String {
        func stage(_ i: Int) -> String { stagePlan.indices.contains(i) ? stagePlan[i].name : "\(i)" }
        if let approved = RotationMachine.approvedStage(key: key) { return "approve stage \(stage(approved))" }
        if key.hasPrefix("request:"), let asked = RotationMachine.approvedStage(key: String(key.dropFirst("request:".count))) {
            return "ask for approval of stage \(stage(asked))"
        }
        guard let step = RotationStep(key: key) else { return key }
        func target(_ i: Int) -> String? { targets.indices.contains(i) ? targets[i].label : nil }
        switch step {
        case .generate: return "mint a new value"
        case .propagate(let i): return target(i).map { "write \($0)" } ?? key
        case .verify(let i): return checks.indices.contains(i) ? "check \(checks[i].label)" : key
        case .promote: return "make the new value current"
        case .revokeOld: return "revoke the old value"
        case .undoPropagate(let i): return target(i).map { "restore \($0)" } ?? key
        case .undoPromote: return "make the old value current again"
        case .revokeNew: return "revoke the new value"
        }
    }
}
