import Foundation
import RotorCore
import RotorHTTP

/// The Vercel REST calls a target needs (see `reference/vercel-api.md`), with every answer other than
/// the documented success turned into a `VercelError` that names the target and never a secret.
///
/// One value per target operation: it holds the resolved token, so it lives only as long as the call.
/// Public only as `VercelTarget`'s `EnvVarTarget.Session`; its calls stay inside the module.
public struct VercelAPI: Sendable {
    let project: String
    /// Sends the requests (each scoped to the team, when there is one) and words their failures.
    let http: VendorAPIClient<VercelDialect>

    /// - Parameters:
    ///   - base: `https://api.vercel.com`, or the sandbox's `/vercel` prefix.
    ///   - secrets: the token and the value being written, kept out of logs and errors.
    init(base: String, project: String, team: String?, label: String, tokenReference: String, token: String,
         secrets: [String], client: RetryingHTTPClient) {
        self.project = project
        http = VendorAPIClient(base: base, token: token, secrets: secrets, scope: team.map { [("teamId", $0)] } ?? [],
                               client: client, dialect: VercelDialect(label: label, tokenReference: tokenReference, team: team))
    }

    // MARK: Environment variables

    /// `POST /v10/projects/{p}/env?upsert=true`. A 2xx with entries in `failed` is a failure.
    func upsert(_ variable: EnvInput) async throws {
        let response = try await http.send(.POST, "/v10/projects/\(http.segment(project))/env", query: [("upsert", "true")],
                                           body: try http.json(variable),
                                           // Upsert by key and target converges to the same variable however
                                           // often it is repeated, so a retry after a lost answer is safe.
                                           idempotent: true,
                                           action: "write \(variable.key)", subject: "project \(project)")
        let result = try http.decode(UpsertResult.self, from: response, action: "write \(variable.key)")
        if let failure = result.failed?.first {
            let code = failure.error?.code ?? "unknown"
            let message = failure.error?.message ?? "no message"
            throw VercelError(.refused, status: response.status,
                              "\(http.dialect.label): Vercel did not write \(variable.key) (\(code): \(http.scrub(message)), reported "
                              + "in `failed` of a \(response.status) answer); fix the target's environments, type or git_branch")
        }
    }

    /// Every variable of the project called `key` (all pages), as listed: values are not included.
    func variables(named key: String) async throws -> [EnvEntry] {
        var found: [EnvEntry] = []
        var until: Int64?
        for _ in 0..<100 {
            let query = until.map { [("until", String($0))] } ?? []
            let response = try await http.send(.GET, "/v10/projects/\(http.segment(project))/env", query: query,
                                               action: "list the variables", subject: "project \(project)")
            let page = try http.decode(EnvPage.self, from: response, action: "list the variables")
            found += page.envs.filter { $0.key == key }
            guard let next = page.pagination?.next, next != until else { break }
            until = next
        }
        return found
    }

    /// `DELETE /v9/projects/{p}/env/{id}`; a variable that is already gone counts as deleted.
    func deleteVariable(id: String, key: String) async throws {
        do {
            _ = try await http.send(.DELETE, "/v9/projects/\(http.segment(project))/env/\(http.segment(id))",
                                    action: "delete \(key)", subject: "variable \(key) (\(id)) of project \(project)")
        } catch let error as VercelError where error.reason == .notFound {
            return
        }
    }

    /// `PATCH /v9/projects/{p}/env/{id}` narrowing a variable to `target`, for a removal that must not
    /// touch the environments Rotor does not manage.
    func narrowVariable(id: String, key: String, to target: [String]) async throws {
        struct Body: Encodable { var target: [String] }
        _ = try await http.send(.PATCH, "/v9/projects/\(http.segment(project))/env/\(http.segment(id))",
                                body: try http.json(Body(target: target)),
                                // Setting the same target list twice leaves the same variable.
                                idempotent: true,
                                action: "remove \(key) from some environments", subject: "variable \(key) (\(id))")
    }

    // MARK: Deployments

    /// The newest READY production deployment, or nil when the project has none.
    func latestProductionDeployment() async throws -> DeploymentSummary? {
        let response = try await http.send(.GET, "/v6/deployments",
                                           query: [("projectId", project), ("target", "production"), ("state", "READY"), ("limit", "1")],
                                           action: "find the latest production deployment", subject: "project \(project)")
        return try http.decode(DeploymentList.self, from: response, action: "find the latest production deployment").deployments.first
    }

    /// `POST /v13/deployments?forceNew=1` redeploying `source` to production, as the Vercel CLI does.
    func redeploy(_ source: DeploymentSummary) async throws -> Deployment {
        let body = RedeployBody(deploymentId: source.uid, name: source.name ?? project, target: "production",
                                meta: ["action": "redeploy"])
        let response = try await http.send(.POST, "/v13/deployments", query: [("forceNew", "1")],
                                           body: try http.json(body),
                                           // A repeated trigger at worst builds the same source with the same
                                           // environment once more; it cannot put a wrong value live.
                                           idempotent: true,
                                           action: "redeploy \(source.uid)", subject: "deployment \(source.uid)")
        return try http.decode(Deployment.self, from: response, action: "redeploy \(source.uid)")
    }

    /// `GET /v13/deployments/{id}`.
    func deployment(_ id: String) async throws -> Deployment {
        let response = try await http.send(.GET, "/v13/deployments/\(http.segment(id))",
                                           action: "read deployment \(id)", subject: "deployment \(id)")
        return try http.decode(Deployment.self, from: response, action: "read deployment \(id)")
    }
}

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

    struct UpsertResult: Decodable {
        struct Failure: Decodable { var error: ErrorBody? }
        var failed: [Failure]?
    }

    struct ErrorBody: Decodable {
        var code: String?
        var message: String?
    }

    struct ErrorEnvelope: Decodable { var error: ErrorBody? }

    /// One listed variable. `target` is an array, or a single string in some older answers.
    struct EnvEntry: Decodable {
        var id: String
        var key: String
        var target: [String]
        var gitBranch: String?

        enum CodingKeys: String, CodingKey { case id, key, target, gitBranch }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            key = try container.decode(String.self, forKey: .key)
            if let list = try? container.decode([String].self, forKey: .target) {
                target = list
            } else {
                target = (try? container.decode(String.self, forKey: .target)).map { [$0] } ?? []
            }
            gitBranch = try? container.decodeIfPresent(String.self, forKey: .gitBranch)
        }
    }

    struct EnvPage: Decodable {
        struct Pagination: Decodable { var next: Int64? }
        var envs: [EnvEntry]
        var pagination: Pagination?
    }

    /// An item of `GET /v6/deployments`.
    struct DeploymentSummary: Decodable {
        var uid: String
        var name: String?
    }

    struct DeploymentList: Decodable { var deployments: [DeploymentSummary] }

    struct RedeployBody: Encodable {
        var deploymentId: String
        var name: String
        var target: String
        var meta: [String: String]
    }

    /// A deployment as `GET /v13/deployments/{id}` shows it. Read leniently: `aliasAssigned` is a
    /// boolean or a timestamp, `aliasError` an object or null.
    struct Deployment: Decodable {
        var id: String
        var readyState: String
        var target: String?
        var aliasAssigned: Bool
        var aliasError: String?
        var errorCode: String?
        var errorMessage: String?

        enum CodingKeys: String, CodingKey {
            case id, uid, readyState, status, state, target, aliasAssigned, aliasError, errorCode, errorMessage
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            guard let id = (try? c.decode(String.self, forKey: .id)) ?? (try? c.decode(String.self, forKey: .uid)) else {
                throw DecodingError.keyNotFound(CodingKeys.id, .init(codingPath: [], debugDescription: "no id"))
            }
            self.id = id
            readyState = (try? c.decode(String.self, forKey: .readyState)) ?? (try? c.decode(String.self, forKey: .status))
                ?? (try? c.decode(String.self, forKey: .state)) ?? "QUEUED"
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
        }
    }
}
