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

    /// `POST /v10/projects/{p}/env?upsert=true` of one variable. Vercel refuses (400 `ENV_CONFLICT`) an
    /// upsert whose target list differs from an existing variable's, so callers send exactly an existing
    /// list, or environments no variable of the key covers. A 2xx with entries in `failed` is a failure.
    func upsert(_ variable: EnvInput) async throws {
        let response = try await http.send(.POST, "/v10/projects/\(http.segment(project))/env", query: [("upsert", "true")],
                                           body: try http.json(variable),
                                           // Upsert by key and target converges to the same variable however
                                           // often it is repeated, so a retry after a lost answer is safe.
                                           idempotent: true,
                                           action: "write \(variable.key) for \(variable.target.joined(separator: ", "))",
                                           subject: "project \(project)")
        let result = try http.decode(UpsertResult.self, from: response, action: "write \(variable.key)")
        if let failure = result.failed?.first {
            let code = failure.error?.code ?? "unknown"
            let message = failure.error?.message ?? "no message"
            throw VercelError(.refused, status: response.status,
                              "\(http.dialect.label): Vercel did not write \(variable.key) (\(code): \(http.scrub(message)), reported "
                              + "in `failed` of a \(response.status) answer); fix the target's environments, type or git_branch")
        }
    }

    /// `PATCH /v9/projects/{p}/env/{id}`: changes only the fields `edit` sets.
    func edit(id: String, key: String, _ edit: EnvEdit) async throws {
        _ = try await http.send(.PATCH, "/v9/projects/\(http.segment(project))/env/\(http.segment(id))",
                                body: try http.json(edit),
                                // Setting the same fields twice leaves the same variable.
                                idempotent: true,
                                action: "write \(key)", subject: "variable \(key) (\(id)) of project \(project)")
    }

    /// Every variable of the project called `key`, as listed: encrypted values are ciphertext, sensitive
    /// ones absent. `GET /v10/…/env` documents no paging and answers every variable; should an answer
    /// still name a next page, it is followed with `until`, as the Terraform provider pages.
    func variables(named key: String) async throws -> [EnvEntry] {
        var found: [EnvEntry] = []
        var until: Int64?
        for _ in 0..<100 {
            let query = until.map { [("until", String($0))] } ?? []
            let response = try await http.send(.GET, "/v10/projects/\(http.segment(project))/env", query: query,
                                               action: "list the variables", subject: "project \(project)")
            let page = try http.decode(EnvPage.self, from: response, action: "list the variables")
            // A server that ignores `until` answers the same page again: keep each variable once.
            for entry in page.envs where entry.key == key && !found.contains(where: { $0.same(as: entry) }) { found.append(entry) }
            guard let next = page.pagination?.next, next != until else { break }
            until = next
        }
        return found
    }

    /// `GET /v1/projects/{p}/env/{id}`: the decrypted value, or nil when Vercel does not show it
    /// (`sensitive`).
    func decryptedValue(id: String, key: String) async throws -> String? {
        let response = try await http.send(.GET, "/v1/projects/\(http.segment(project))/env/\(http.segment(id))",
                                           action: "read \(key)", subject: "variable \(key) (\(id)) of project \(project)")
        let entry = try http.decode(EnvEntry.self, from: response, action: "read \(key)")
        return entry.decrypted == true || entry.type == "plain" ? entry.value : nil
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

    // MARK: Deployments

    /// `GET /v9/projects/{p}`: what production serves (`targets.production`) and any Instant Rollback.
    func projectServing() async throws -> ProjectServing {
        let response = try await http.send(.GET, "/v9/projects/\(http.segment(project))",
                                           action: "find what production serves", subject: "project \(project)")
        return try http.decode(ProjectServing.self, from: response, action: "find what production serves")
    }

    /// Preview deployments created since `since`, newest first (`GET /v7/deployments`, all pages).
    func previewDeployments(since: Date) async throws -> [DeploymentSummary] {
        var found: [DeploymentSummary] = []
        var until: Int64?
        let sinceMs = Int64(since.timeIntervalSince1970 * 1000)
        for _ in 0..<100 {
            let query = [("projectId", project), ("target", "preview"), ("limit", "100")] + (until.map { [("until", String($0))] } ?? [])
            let response = try await http.send(.GET, "/v7/deployments", query: query,
                                               action: "list preview deployments", subject: "project \(project)")
            let page = try http.decode(DeploymentList.self, from: response, action: "list preview deployments")
            found += page.deployments.filter { ($0.createdAt ?? 0) >= sinceMs }
            guard page.deployments.allSatisfy({ ($0.createdAt ?? 0) >= sinceMs }),
                  let next = page.pagination?.next, next != until else { break }
            until = next
        }
        return found
    }

    /// `POST /v13/deployments?forceNew=1` redeploying `source` (to production, or as a preview when
    /// `target` is nil), as the Vercel CLI does.
    func redeploy(id source: String, name: String, target: String?, meta: [String: String]) async throws -> Deployment {
        let body = RedeployBody(deploymentId: source, name: name, target: target, meta: meta.merging(["action": "redeploy"]) { $1 })
        let response = try await http.send(.POST, "/v13/deployments", query: [("forceNew", "1")],
                                           body: try http.json(body),
                                           // A repeated trigger at worst builds the same source with the same
                                           // environment once more; it cannot put a wrong value live.
                                           idempotent: true,
                                           action: "redeploy \(source)", subject: "deployment \(source)")
        return try http.decode(Deployment.self, from: response, action: "redeploy \(source)")
    }

    /// `GET /v13/deployments/{id}`.
    func deployment(_ id: String) async throws -> Deployment {
        let response = try await http.send(.GET, "/v13/deployments/\(http.segment(id))",
                                           action: "read deployment \(id)", subject: "deployment \(id)")
        return try http.decode(Deployment.self, from: response, action: "read deployment \(id)")
    }
}
