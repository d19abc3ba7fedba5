import Foundation
import RotorCore

/// The variables of the key: reading what they hold, writing a value into each as it is, and putting
/// back exactly what they held.
extension VercelTarget {
    /// What the key's variables held before the rotation, each with its type and target list.
    public struct Prior: Codable, Sendable {
        struct Variable: Codable, Sendable {
            /// Nil when Vercel listed it without one.
            var id: String?
            var type: String
            var target: [String]
            /// Nil when it could not be read back (`sensitive`, or listed without an id).
            var value: String?
        }
        var variables: [Variable]
    }

    /// What a write leaves to deploy: production, the previews, or both.
    public struct Rollout: Sendable {
        let production: Bool
        let previews: Bool
    }

    /// Reads every variable of the key in this target's environments. Refuses, before anything is
    /// written, when one cannot be read back and Rotor's store holds no previous version to restore.
    public func readPrior(in vercel: VercelAPI, _ context: StepContext) async throws -> Prior {
        var variables: [Prior.Variable] = []
        for entry in try await mine(vercel) {
            variables.append(.init(id: entry.id, type: entry.type, target: entry.target, value: try await value(of: entry, vercel)))
        }
        if let unreadable = variables.first(where: { $0.value == nil }), !context.hasPreviousVersion {
            let why = unreadable.type == "sensitive" ? "is a sensitive variable, which Vercel never shows again"
                : "was listed without an id, so its value cannot be read"
            throw VercelError(.unrestorable, "\(label): \(key) (\(unreadable.target.joined(separator: ", "))) \(why), and Rotor's store "
                              + "holds no previous version of \(context.secret) to put back if the rotation rolls back. Nothing was "
                              + "written. Import the value in use with `rotor import \(context.secret)` (value on stdin), then rotate again")
        }
        return Prior(variables: variables)
    }

    public func secrets(of prior: Prior) -> [SecretValue] {
        prior.variables.compactMap { $0.value.map(SecretValue.init) }
    }

    /// Writes `value` into each variable of the key as it is (by id, keeping its target list; the type
    /// becomes the playbook's), and creates one for the environments no variable covers.
    public func write(_ value: SecretValue, in vercel: VercelAPI, _ context: StepContext) async throws -> Rollout? {
        try await refuseDuringRollback(vercel)
        var covered = Set<String>()
        for entry in try await mine(vercel) {
            covered.formUnion(entry.target)
            if let id = entry.id {
                try await vercel.edit(id: id, key: key, .init(value: value.revealed, type: entry.type == type ? nil : type))
            } else {
                // Without an id, an upsert with exactly the variable's target list is what Vercel accepts.
                try await vercel.upsert(.init(key: key, value: value.revealed, type: type, target: entry.target,
                                              gitBranch: gitBranch, comment: "rotated by rotor \(context.rotationID)"))
            }
        }
        let missing = environments.filter { !covered.contains($0) }
        if !missing.isEmpty {
            try await vercel.upsert(.init(key: key, value: value.revealed, type: type, target: missing, gitBranch: gitBranch,
                                          comment: "rotated by rotor \(context.rotationID)"))
        }
        return rollout
    }

    /// Puts back each variable with its value, type and target list, and deletes only those the rotation
    /// created. A value that could not be read comes from `previous`.
    public func writeBack(_ prior: Prior, previous: SecretValue?, in vercel: VercelAPI, _ context: StepContext) async throws -> Rollout? {
        try await refuseDuringRollback(vercel)
        var current = try await mine(vercel)
        var plan: [(Prior.Variable, String, VercelAPI.EnvEntry?)] = []
        for variable in prior.variables {
            guard let value = variable.value ?? previous?.revealed else {
                throw VercelError(.unrestorable, "\(label): \(key) (\(variable.target.joined(separator: ", "))) could not be read before "
                                  + "the rotation and Rotor's store holds no previous version; set it by hand in Vercel")
            }
            let index = current.firstIndex { Self.same($0, variable) }
            plan.append((variable, value, index.map { current.remove(at: $0) }))
        }
        // What is left was created by this rotation.
        for created in current {
            guard let id = created.id else {
                throw VercelError(.refused, "\(label): Vercel lists the \(key) this rotation created for "
                                  + "\(created.target.joined(separator: ", ")) without an id, so Rotor cannot delete it; delete it by hand")
            }
            try await vercel.deleteVariable(id: id, key: key)
        }
        for (variable, value, now) in plan {
            if let now, let id = now.id {
                try await vercel.edit(id: id, key: key, .init(value: value, type: now.type == variable.type ? nil : variable.type,
                                                              target: Set(now.target) == Set(variable.target) ? nil : variable.target))
            } else {
                try await vercel.upsert(.init(key: key, value: value, type: variable.type, target: variable.target, gitBranch: gitBranch,
                                              comment: "restored by rotor \(context.rotationID)"))
            }
        }
        return rollout
    }

    /// The values of the key's variables in this target's environments; unknown for a sensitive one.
    public func readNow(in vercel: VercelAPI) async throws -> TargetReading {
        var values: [SecretValue] = []
        for entry in try await mine(vercel) {
            guard let value = try await value(of: entry, vercel) else {
                return .unknown(entry.type == "sensitive" ? "sensitive: Vercel never shows the value" : "Vercel listed it without an id")
            }
            values.append(SecretValue(value))
        }
        return .held(values)
    }

    /// The key's variables of this target's branch that share an environment with it.
    private func mine(_ vercel: VercelAPI) async throws -> [VercelAPI.EnvEntry] {
        try await vercel.variables(named: key).filter { $0.gitBranch == gitBranch && !Set($0.target).isDisjoint(with: environments) }
    }

    /// A variable's value in plain text: from the list for `plain`, decrypted by id otherwise; nil for
    /// `sensitive` or when there is no id.
    private func value(of entry: VercelAPI.EnvEntry, _ vercel: VercelAPI) async throws -> String? {
        if entry.type == "plain", let value = entry.value { return value }
        guard entry.type != "sensitive", let id = entry.id else { return nil }
        return try await vercel.decryptedValue(id: id, key: key)
    }

    /// Whether a listed variable is the one the prior note recorded: by id, or by target list when
    /// either lacks an id.
    private static func same(_ entry: VercelAPI.EnvEntry, _ variable: Prior.Variable) -> Bool {
        if let id = entry.id, let recorded = variable.id { return id == recorded }
        return Set(entry.target) == Set(variable.target)
    }

    /// What a write leaves to deploy, or nil.
    var rollout: Rollout? {
        let production = redeploy && environments.contains("production")
        let previews = redeployPreviews && environments.contains("preview")
        return production || previews ? Rollout(production: production, previews: previews) : nil
    }

    /// While an Instant Rollback is in force a production redeploy would not go live, and promoting it
    /// would undo the operator's rollback: stop before writing.
    private func refuseDuringRollback(_ vercel: VercelAPI) async throws {
        guard rollout?.production == true else { return }
        _ = try await servedProduction(vercel)
    }
}
