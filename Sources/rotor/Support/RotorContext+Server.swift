import Foundation
import RotorCore
import RotorServer

extension RotorContext {
    /// What the HTTP service needs, from this context and the environment (rotor.yml's `server` section
    /// names these: ROTOR_ADMIN_TOKEN, ROTOR_REPLY_SECRET, ROTOR_PUBLIC_URL).
    func serviceDependencies() async throws -> ServiceDependencies {
        let set = loadPlaybooks()
        let environment = global.environment
        var adminToken = environment["ROTOR_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : SecretValue($0) }
        if let reference = config.server.adminToken { adminToken = try await credentials.resolve(reference) }
        var replySecret = environment["ROTOR_REPLY_SECRET"].flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        if let reference = config.server.replySecret { replySecret = try await credentials.resolve(reference).bytes }
        return ServiceDependencies(
            store: store, sealer: sealer, clock: clock, logger: logger,
            playbooks: Dictionary(set.playbooks.map { ($0.secret, $0) }, uniquingKeysWith: { first, _ in first }),
            runner: runner(), keyTable: providers.keyTable(playbooks: set.playbooks),
            replyTokens: try await ReplyTokens.load(store: store, sealer: sealer), publicURL: publicURL,
            adminToken: adminToken, replySecret: replySecret)
    }
}
