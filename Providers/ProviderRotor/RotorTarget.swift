import RotorCore

/// The target of a playbook that rotates one of Rotor's own vendor credentials (its Vercel token): the
/// value's consumer is Rotor itself, which reads it wherever a playbook or `rotor.yml` says `secret:NAME`.
///
/// `secret:NAME` means "the current version of the managed secret NAME". So nothing needs writing: the
/// rotation's promote step makes the new value current (every later `secret:NAME` lookup gets it), and a
/// rollback's undo of promote makes the old one current again. `apply` and `restore` only say so in the
/// log; the target exists so that the playbook states where the value goes, and so that the revoke of the
/// old credential, authenticated with `secret:NAME` too, runs with the new one.
public struct RotorTarget: SecretTarget {
    public static let schema = ProviderSchema(kind: .target, name: "rotor", fields: [])

    /// The secret whose current version Rotor reads as `secret:NAME`: the playbook's own.
    let secret: String

    public init(secret: String) {
        self.secret = secret
    }

    public var label: String { "rotor secret:\(secret)" }
    public var provider: String { "rotor" }

    public func apply(_ value: SecretValue, _ context: StepContext) async throws {
        context.logger.info("rotor target: secret:\(secret) resolves to the new value once the rotation promotes it", metadata: [
            "secret": "\(secret)", "rotation": "\(context.rotationID)", "value": "\(value.display)",
        ])
    }

    public func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
        context.logger.info("rotor target: secret:\(secret) resolves to the previous value again once promote is undone", metadata: [
            "secret": "\(secret)", "rotation": "\(context.rotationID)",
        ])
    }
}
