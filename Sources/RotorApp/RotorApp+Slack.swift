import RotorCore
import RotorHTTP
import RotorNotifiers
import RotorServer

extension RotorApp {
    /// rotor.yml's `slack-app` channels with their signing secrets and bot tokens resolved, for the service to accept
    /// and answer their button clicks.
    func slackAppEndpoints(client: HTTPClient = .shared) async throws -> [SlackAppEndpoint] {
        var endpoints: [SlackAppEndpoint] = []
        for (name, channel) in config.channels.sorted(by: { $0.key < $1.key }) {
            guard case .slackApp(let app) = channel else { continue }
            let secret = try await credentials.resolve(app.signingSecret)
            let token = try await credentials.resolve(app.botToken)
            endpoints.append(SlackAppEndpoint(name: name, channel: app.channel, signingSecret: secret,
                                              api: SlackWebAPI(baseURL: app.apiURL, botToken: token, client: client, logger: logger)))
        }
        return endpoints
    }
}
