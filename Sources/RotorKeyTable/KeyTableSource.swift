import RotorCore

/// The key-table "source": a playbook that sets the policy for customer keys rather than rotating one secret.
public enum KeyTableSource {
    public static let schema = ProviderSchema(kind: .source, name: "key-table", fields: [])

    /// The policy `playbook` sets; its customer notices go to the playbook's `notify:` channels (none named: the
    /// caller, which knows rotor.yml, fills in its `outbox` channels).
    public static func policy(_ playbook: Playbook) -> KeyTablePolicy {
        KeyTablePolicy(grace: playbook.grace, emergencyGrace: playbook.emergencyGrace, maxAge: playbook.policy.maxAge,
                       warnBefore: playbook.schedule?.warnBefore.max() ?? .seconds(7 * 86400),
                       revokeWhenUnused: playbook.policy.revokeWhenUnused, maxGrace: playbook.policy.maxGrace,
                       channels: playbook.notify)
    }
}
