import RotorCore

extension RotorApp {
    /// Resolves every credential reference the playbooks and rotor.yml name, each once: one check per reference,
    /// saying who uses it and, when it does not resolve, what to do. The values are read and dropped, never shown.
    public func credentialChecks(playbooks: [Playbook]) async -> [DoctorCheck] {
        var users: [(reference: String, user: String)] = []
        for playbook in playbooks {
            for config in [playbook.source] + playbook.targets + playbook.checks {
                for reference in Self.credentialReferences(in: config) {
                    users.append((reference, "\(playbook.secret) \(config.kind.rawValue) \(config.label)"))
                }
            }
        }
        users += configReferences().map { ($0.reference.description, $0.user) }
        var checks: [DoctorCheck] = []
        for reference in users.map(\.reference).uniqued() {
            let usedBy = users.filter { $0.reference == reference }.map(\.user).uniqued().joined(separator: ", ")
            do {
                _ = try await credentials.resolve(try CredentialReference(parsing: reference))
                checks.append(DoctorCheck(name: "credential \(reference)", ok: true, detail: "resolves (used by \(usedBy))"))
            } catch {
                checks.append(DoctorCheck(name: "credential \(reference)", ok: false, detail: "\(error) (used by \(usedBy))"))
            }
        }
        return checks
    }

    /// One read-only call per source and target that can make one (``ReadOnlyCheck``): the credential reaches
    /// the vendor's project, service, item or database. Providers without such a call are left out.
    public func providerChecks(playbooks: [Playbook]) async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        for playbook in playbooks where !playbook.isKeyTable {
            var parts: [(role: String, label: String, check: () async -> ReadOnlyCheck)] = []
            if let source = try? providers.source(for: playbook) {
                parts.append(("source", playbook.source.label, source.readOnlyCheck))
            }
            for config in playbook.targets {
                if let target = try? providers.target(config, of: playbook) { parts.append(("target", target.label, target.readOnlyCheck)) }
            }
            for part in parts {
                let name = "\(playbook.secret) \(part.role) \(part.label)"
                switch await part.check() {
                case .passed(let detail): checks.append(DoctorCheck(name: name, ok: true, detail: detail))
                // Vendor errors start with the target's label, which the line already names.
                case .failed(let detail): checks.append(DoctorCheck(name: name, ok: false, detail: detail.droppingPrefix("\(part.label): ")))
                case .notChecked: continue
                }
            }
        }
        return checks
    }

    /// The credential references among a provider entry's fields: each `credentialRef` field, and the values of
    /// an `environment` mapping (an exec command's `env:`), as the provider's schema types them.
    static func credentialReferences(in config: ProviderConfig) -> [String] {
        guard let schema = ProviderRegistry.catalog.schema(config.kind, config.provider) else { return [] }
        var references: [String] = []
        for spec in schema.fields {
            switch spec.type {
            case .credentialRef: if let text = config.string(spec.name) { references.append(text) }
            case .environment: references += (config.stringMap(spec.name) ?? []).map(\.value)
            default: continue
            }
        }
        return references
    }

    /// The credential references rotor.yml names: the server's, and each channel's.
    func configReferences() -> [(reference: CredentialReference, user: String)] {
        var found: [(CredentialReference, String)] = []
        if let token = config.server.adminToken { found.append((token, "rotor.yml server.admin_token")) }
        if let secret = config.server.replySecret { found.append((secret, "rotor.yml server.reply_secret")) }
        for (name, channel) in config.channels.sorted(by: { $0.key < $1.key }) {
            switch channel {
            case .slack(let slack): found.append((slack.url, "rotor.yml channel \(name)"))
            case .slackApp(let app):
                found += [(app.botToken, "rotor.yml channel \(name)"), (app.signingSecret, "rotor.yml channel \(name)")]
            case .email(let email): if let password = email.password { found.append((password, "rotor.yml channel \(name)")) }
            case .webhook(let webhook): found.append((webhook.signingSecret, "rotor.yml channel \(name)"))
            case .outbox: continue
            }
        }
        return found
    }
}

extension String {
    fileprivate func droppingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    fileprivate func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
