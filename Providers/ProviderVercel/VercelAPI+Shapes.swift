import Foundation

// MARK: Shapes

extension VercelAPI {
    /// The body of an upsert: one variable.
    struct EnvInput: Encodable {
        var key: String
        var value: String
        var type: String
        var target: [String]
        var gitBranch: String?
        var comment: String
    }

    /// The body of an edit: only the fields set are sent.
    struct EnvEdit: Encodable {
        var value: String?
        var type: String?
        var target: [String]?
        var comment: String?
    }

    struct UpsertResult: Decodable {
        struct Failure: Decodable { var error: ErrorBody? }
        var failed: [Failure]?
    }

    struct ErrorBody: Decodable {
        var code: String?
        var message: String?
    }

    struct ErrorEnvelope: Decodable { var error: ErrorBody? }

    /// One variable as listed or read by id. `id` is optional in the SDK's list schema; `target` is an
    /// array, or a single string in some older answers; `value` is ciphertext unless `decrypted`.
    struct EnvEntry: Decodable {
        var id: String?
        var key: String
        var type: String
        var target: [String]
        var gitBranch: String?
        var value: String?
        var decrypted: Bool?

        enum CodingKeys: String, CodingKey { case id, key, type, target, gitBranch, value, decrypted }

        /// Whether both describe one variable: by id, or by branch and target list when either lacks an id.
        func same(as other: EnvEntry) -> Bool {
            if let id, let otherID = other.id { return id == otherID }
            return key == other.key && gitBranch == other.gitBranch && Set(target) == Set(other.target)
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try? container.decodeIfPresent(String.self, forKey: .id)
            key = try container.decode(String.self, forKey: .key)
            type = (try? container.decodeIfPresent(String.self, forKey: .type)) ?? "encrypted"
            if let list = try? container.decode([String].self, forKey: .target) {
                target = list
            } else {
                target = (try? container.decode(String.self, forKey: .target)).map { [$0] } ?? []
            }
            gitBranch = try? container.decodeIfPresent(String.self, forKey: .gitBranch)
            value = try? container.decodeIfPresent(String.self, forKey: .value)
            decrypted = try? container.decodeIfPresent(Bool.self, forKey: .decrypted)
        }
    }

    struct Pagination: Decodable { var next: Int64? }

    struct EnvPage: Decodable {
        var envs: [EnvEntry]
        var pagination: Pagination?
    }

    /// `GET /v9/projects/{p}`: the deployment production serves, and the Instant Rollback in force.
    struct ProjectServing: Decodable {
        struct Targets: Decodable { var production: Deployment? }
        struct Rollback: Decodable {
            var toDeploymentId: String?
            var fromDeploymentId: String?
        }
        var name: String?
        var targets: Targets?
        var lastRollbackTarget: Rollback?

        enum CodingKeys: String, CodingKey { case name, targets, lastRollbackTarget }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try? c.decodeIfPresent(String.self, forKey: .name)
            targets = try? c.decodeIfPresent(Targets.self, forKey: .targets)
            lastRollbackTarget = try? c.decodeIfPresent(Rollback.self, forKey: .lastRollbackTarget)
        }
    }

    /// An item of `GET /v7/deployments`.
    struct DeploymentSummary: Decodable {
        var uid: String
        var name: String?
        var createdAt: Int64?
        var meta: [String: String]?

        /// The git branch it was built from, as Vercel's git integrations record it.
        var branch: String? {
            meta?["githubCommitRef"] ?? meta?["gitlabCommitRef"] ?? meta?["bitbucketCommitRef"]
        }

        enum CodingKeys: String, CodingKey { case uid, name, createdAt, meta }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            uid = try c.decode(String.self, forKey: .uid)
            name = try? c.decodeIfPresent(String.self, forKey: .name)
            createdAt = try? c.decodeIfPresent(Int64.self, forKey: .createdAt)
            meta = try? c.decodeIfPresent([String: String].self, forKey: .meta)
        }
    }

    struct DeploymentList: Decodable {
        var deployments: [DeploymentSummary]
        var pagination: Pagination?
    }

    struct RedeployBody: Encodable {
        var deploymentId: String
        var name: String
        /// `production`, or absent for a preview.
        var target: String?
        var meta: [String: String]
    }

    /// A deployment as `GET /v13/deployments/{id}` shows it. Read leniently: `aliasAssigned` is a
    /// boolean or a timestamp, `aliasError` an object or null.
    struct Deployment: Decodable {
        var id: String
        var name: String?
        var readyState: String
        var readySubstate: String?
        var target: String?
        var aliasAssigned: Bool
        var aliasError: String?
        var errorCode: String?
        var errorMessage: String?
        var checksConclusion: String?

        enum CodingKeys: String, CodingKey {
            case id, uid, name, readyState, readySubstate, status, state, target, aliasAssigned, aliasError, errorCode, errorMessage,
                 checksConclusion
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            guard let id = (try? c.decode(String.self, forKey: .id)) ?? (try? c.decode(String.self, forKey: .uid)) else {
                throw DecodingError.keyNotFound(CodingKeys.id, .init(codingPath: [], debugDescription: "no id"))
            }
            self.id = id
            name = try? c.decodeIfPresent(String.self, forKey: .name)
            readyState = (try? c.decode(String.self, forKey: .readyState)) ?? (try? c.decode(String.self, forKey: .status))
                ?? (try? c.decode(String.self, forKey: .state)) ?? "QUEUED"
            readySubstate = try? c.decodeIfPresent(String.self, forKey: .readySubstate)
            target = try? c.decodeIfPresent(String.self, forKey: .target)
            if let flag = try? c.decode(Bool.self, forKey: .aliasAssigned) {
                aliasAssigned = flag
            } else {
                aliasAssigned = ((try? c.decode(Double.self, forKey: .aliasAssigned)) ?? 0) > 0
            }
            if let error = try? c.decodeIfPresent(ErrorBody.self, forKey: .aliasError) {
                aliasError = error.message ?? error.code ?? "alias error"
            } else {
                aliasError = try? c.decodeIfPresent(String.self, forKey: .aliasError)
            }
            errorCode = try? c.decodeIfPresent(String.self, forKey: .errorCode)
            errorMessage = try? c.decodeIfPresent(String.self, forKey: .errorMessage)
            checksConclusion = try? c.decodeIfPresent(String.self, forKey: .checksConclusion)
        }
    }
}
