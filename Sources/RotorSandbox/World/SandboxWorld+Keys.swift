extension SandboxWorld {
    /// The emulated OpenAI Admin API (project service accounts and project API keys), under `/openai`.
    public struct OpenAI: Sendable, Codable, Equatable {
        /// The Admin API key (`sk-admin-…`) every `/openai/v1/organization/…` request must carry.
        public var adminKey: String
        /// The project ids (`proj_…`) of the organization.
        public var projects: [String]

        /// Creates an organization; the defaults are the default world's.
        public init(adminKey: String = "sk-admin-sandbox", projects: [String] = ["proj_sandbox"]) {
            self.adminKey = adminKey
            self.projects = projects
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case adminKey = "admin_key", projects }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = OpenAI()
            adminKey = try container.decodeIfPresent(String.self, forKey: .adminKey) ?? defaults.adminKey
            projects = try container.decodeIfPresent([String].self, forKey: .projects) ?? defaults.projects
        }
    }

    /// The emulated 1Password Connect server, under `/onepassword`: one vault the token may read and
    /// write, holding one item with the app key as a concealed field, and one vault it may not.
    public struct OnePassword: Sendable, Codable, Equatable {
        /// The Connect access token (`Authorization: Bearer …`).
        public var token: String

        /// Creates a Connect server; the default is the default world's.
        public init(token: String = "sandbox-connect-token") {
            self.token = token
        }

        /// The vault the token may use, its item and the item's field (26-character lowercase ids).
        public static let vaultId = "rotorsandboxvault000000001"
        public static let itemId = "rotorsandboxitem0000000001"
        public static let fieldId = "rotorsandboxfield000000001"
        /// A vault that exists but that the token may not use (403).
        public static let restrictedVaultId = "rotorsandboxvault000000002"

        enum CodingKeys: String, CodingKey, CaseIterable { case token }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            token = try container.decodeIfPresent(String.self, forKey: .token) ?? OnePassword().token
        }
    }
}

extension SandboxWorld {
    /// The emulated Slack workspace, under `/slack/api`: the bot token a `slack-app` channel posts with and the
    /// channel ids the bot is a member of.
    public struct Slack: Sendable, Codable, Equatable {
        /// The bot token (`Authorization: Bearer xoxb-…`).
        public var botToken: String
        /// The channel ids messages may go to; others are `channel_not_found`.
        public var channels: [String]

        /// Creates a workspace; the default is the default world's.
        public init(botToken: String = "xoxb-sandbox-bot-token", channels: [String] = ["C0SANDBOX01"]) {
            self.botToken = botToken
            self.channels = channels
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case botToken = "bot_token", channels
        }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = Slack()
            botToken = try container.decodeIfPresent(String.self, forKey: .botToken) ?? defaults.botToken
            channels = try container.decodeIfPresent([String].self, forKey: .channels) ?? defaults.channels
        }
    }
}
