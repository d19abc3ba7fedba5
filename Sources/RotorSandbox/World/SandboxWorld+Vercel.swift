extension SandboxWorld {
    /// The emulated Vercel account: one API token, its teams and its projects.
    public struct Vercel: Sendable, Codable, Equatable {
        /// The bearer token every `/vercel` request must carry.
        public var token: String
        /// Teams the token belongs to; a project in a team is visible only with that `teamId`.
        public var teams: [Team]
        /// The projects, each also a simulated app named after the project.
        public var projects: [Project]

        /// Creates an account; the defaults are the default world's.
        public init(
            token: String = "sandbox-vercel-token", teams: [Team] = [],
            projects: [Project] = [
                Project(id: "prj_webapp", name: "web-app"),
                // Only production needs the key: an upsert for other targets is refused, as on Vercel.
                Project(id: "prj_docssite", name: "docs-site", envTargets: ["production"]),
            ]
        ) {
            self.token = token
            self.teams = teams
            self.projects = projects
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case token, teams, projects }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = Vercel()
            token = try container.decodeIfPresent(String.self, forKey: .token) ?? defaults.token
            teams = try container.decodeIfPresent([Team].self, forKey: .teams) ?? defaults.teams
            projects = try container.decodeIfPresent([Project].self, forKey: .projects) ?? defaults.projects
        }
    }

    /// A Vercel team (`teamId` in requests, or its `slug`).
    public struct Team: Sendable, Codable, Equatable {
        /// The team id, `team_…`.
        public var id: String
        /// The team slug, accepted as `?slug=` instead of `?teamId=`.
        public var slug: String

        /// Creates a team.
        public init(id: String, slug: String) {
            self.id = id
            self.slug = slug
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case id, slug }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            slug = try container.decode(String.self, forKey: .slug)
        }
    }

    /// A Vercel project and the app it deploys.
    public struct Project: Sendable, Codable, Equatable {
        /// The project id, `prj_…`.
        public var id: String
        /// The project name; also the app's name under `/apps/`.
        public var name: String
        /// The team that owns the project, or nil for the personal account.
        public var teamId: String?
        /// The variable the app reads its key from; nil uses the world's `app_key`.
        public var appKey: String?
        /// Further variables (type `encrypted`, targets `envTargets`) the project starts with.
        public var env: [String: String]
        /// The `target` list of the variables the project starts with (default production and preview).
        /// An upsert with another list is refused with `ENV_CONFLICT`, as on Vercel.
        public var envTargets: [String]

        /// Creates a project.
        public init(
            id: String, name: String, teamId: String? = nil, appKey: String? = nil, env: [String: String] = [:],
            envTargets: [String] = ["production", "preview"]
        ) {
            self.id = id
            self.name = name
            self.teamId = teamId
            self.appKey = appKey
            self.env = env
            self.envTargets = envTargets
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, name, teamId = "team_id", appKey = "app_key", env, envTargets = "env_targets"
        }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            name = try container.decode(String.self, forKey: .name)
            teamId = try container.decodeIfPresent(String.self, forKey: .teamId)
            appKey = try container.decodeIfPresent(String.self, forKey: .appKey)
            env = try container.decodeIfPresent([String: String].self, forKey: .env) ?? [:]
            envTargets = try container.decodeIfPresent([String].self, forKey: .envTargets) ?? ["production", "preview"]
        }
    }
}
