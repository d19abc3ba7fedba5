extension SandboxWorld {
    /// The emulated Render account: one API key, its services, env groups and rate limits.
    public struct Render: Sendable, Codable, Equatable {
        /// The bearer API key every `/render/v1` request must carry.
        public var token: String
        /// The owner (workspace) id shown on env groups.
        public var ownerId: String
        /// Request budgets; past them the sandbox answers 429 as Render does.
        public var rateLimits: RateLimits
        /// The services, each also a simulated app named after the service id.
        public var services: [Service]
        /// The env groups and the services linked to them.
        public var envGroups: [EnvGroup]

        /// Creates an account; the defaults are the default world's.
        public init(
            token: String = "sandbox-render-token", ownerId: String = "tea-sandbox", rateLimits: RateLimits = .init(),
            services: [Service] = [
                Service(id: "srv-api", name: "api"),
                Service(id: "srv-worker", name: "worker", image: "docker.io/rotor/sandbox-worker:1.4.2"),
            ],
            envGroups: [EnvGroup] = [
                EnvGroup(id: "evg-shared", name: "shared", services: ["srv-api", "srv-worker"], env: ["LOG_LEVEL": "info"]),
            ]
        ) {
            self.token = token
            self.ownerId = ownerId
            self.rateLimits = rateLimits
            self.services = services
            self.envGroups = envGroups
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case token, ownerId = "owner_id", rateLimits = "rate_limits", services, envGroups = "env_groups"
        }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = Render()
            token = try container.decodeIfPresent(String.self, forKey: .token) ?? defaults.token
            ownerId = try container.decodeIfPresent(String.self, forKey: .ownerId) ?? defaults.ownerId
            rateLimits = try container.decodeIfPresent(RateLimits.self, forKey: .rateLimits) ?? defaults.rateLimits
            services = try container.decodeIfPresent([Service].self, forKey: .services) ?? defaults.services
            envGroups = try container.decodeIfPresent([EnvGroup].self, forKey: .envGroups) ?? defaults.envGroups
        }
    }

    /// Render's documented request budgets, per minute. Raise them for benchmarks.
    public struct RateLimits: Sendable, Codable, Equatable {
        /// GET requests per minute for the account (Render: 400).
        public var readsPerMinute: Int
        /// Other requests per minute for the account, deploys excepted (Render: 30).
        public var writesPerMinute: Int
        /// Deploys per minute per service (Render: 10).
        public var deploysPerMinute: Int

        /// Creates budgets; the defaults are Render's.
        public init(readsPerMinute: Int = 400, writesPerMinute: Int = 30, deploysPerMinute: Int = 10) {
            self.readsPerMinute = readsPerMinute
            self.writesPerMinute = writesPerMinute
            self.deploysPerMinute = deploysPerMinute
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case readsPerMinute = "reads_per_minute", writesPerMinute = "writes_per_minute"
            case deploysPerMinute = "deploys_per_minute"
        }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = RateLimits()
            readsPerMinute = try container.decodeIfPresent(Int.self, forKey: .readsPerMinute) ?? defaults.readsPerMinute
            writesPerMinute = try container.decodeIfPresent(Int.self, forKey: .writesPerMinute) ?? defaults.writesPerMinute
            deploysPerMinute = try container.decodeIfPresent(Int.self, forKey: .deploysPerMinute) ?? defaults.deploysPerMinute
        }
    }

    /// A Render service and the app it runs.
    public struct Service: Sendable, Codable, Equatable {
        /// The service id, `srv-…`; also the app's name under `/apps/`.
        public var id: String
        /// The service's display name.
        public var name: String
        /// The variable the app reads its key from; nil uses the world's `app_key`.
        public var appKey: String?
        /// Further variables the service starts with.
        public var env: [String: String]
        /// The image an image-backed service deploys (`docker.io/org/app:tag`); nil for a service built
        /// from a repository branch, whose head is one commit ahead of the live deploy.
        public var image: String?

        /// Creates a service.
        public init(id: String, name: String, appKey: String? = nil, env: [String: String] = [:], image: String? = nil) {
            self.id = id
            self.name = name
            self.appKey = appKey
            self.env = env
            self.image = image
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case id, name, appKey = "app_key", env, image }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            name = try container.decodeIfPresent(String.self, forKey: .name) ?? id
            appKey = try container.decodeIfPresent(String.self, forKey: .appKey)
            env = try container.decodeIfPresent([String: String].self, forKey: .env) ?? [:]
            image = try container.decodeIfPresent(String.self, forKey: .image)
        }
    }

    /// A Render env group: variables shared by the services linked to it.
    public struct EnvGroup: Sendable, Codable, Equatable {
        /// The group id, `evg-…`.
        public var id: String
        /// The group's display name.
        public var name: String
        /// The ids of the linked services.
        public var services: [String]
        /// Further variables the group starts with.
        public var env: [String: String]
        /// Whether the group also starts holding the initial key under the world's `app_key`.
        public var seedAppKey: Bool

        /// Creates an env group.
        public init(id: String, name: String, services: [String], env: [String: String] = [:], seedAppKey: Bool = true) {
            self.id = id
            self.name = name
            self.services = services
            self.env = env
            self.seedAppKey = seedAppKey
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, name, services, env, seedAppKey = "seed_app_key"
        }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            name = try container.decodeIfPresent(String.self, forKey: .name) ?? id
            services = try container.decodeIfPresent([String].self, forKey: .services) ?? []
            env = try container.decodeIfPresent([String: String].self, forKey: .env) ?? [:]
            seedAppKey = try container.decodeIfPresent(Bool.self, forKey: .seedAppKey) ?? true
        }
    }
}
