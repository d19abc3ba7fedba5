import Foundation
import RotorCore
import RotorHTTP

/// The Render REST calls a target needs (see `reference/render-api.md`), with every answer other than
/// the documented success turned into a `RenderError` that names the target and never a secret.
///
/// One value per target operation: it holds the resolved API key, so it lives only as long as the call.
/// Public only as `RenderTarget`'s `EnvVarTarget.Session`; its calls stay inside the module.
public struct RenderAPI: Sendable {
    /// Sends the requests and words their failures.
    let http: VendorAPIClient<RenderDialect>

    /// - Parameters:
    ///   - base: `https://api.render.com/v1`, or the sandbox's `/render/v1` prefix.
    ///   - secrets: the API key and the value being written, kept out of logs and errors.
    init(base: String, label: String, tokenReference: String, token: String, secrets: [String], client: RetryingHTTPClient) {
        http = VendorAPIClient(base: base, token: token, secrets: secrets, client: client,
                               dialect: RenderDialect(label: label, tokenReference: tokenReference))
    }

    /// What a deploy trigger answered.
    enum Triggered {
        /// 201 with the deploy.
        case created(Deploy)
        /// 202 with no body: the deploy is queued and must be found by listing.
        case queued
    }

    // MARK: Service variables

    /// `PUT /services/{id}/env-vars/{key}`: adds or updates one variable, never touching the others.
    func putServiceVariable(service: String, key: String, value: String) async throws {
        _ = try await http.send(.PUT, "/services/\(http.segment(service))/env-vars/\(http.segment(key))",
                                body: try http.json(["value": value]),
                                // Setting one variable to one value is the same however often it is repeated.
                                idempotent: true,
                                action: "write \(key)", subject: "service \(service)")
    }

    /// `DELETE /services/{id}/env-vars/{key}`; a variable that is already absent counts as deleted, a
    /// missing service does not.
    func deleteServiceVariable(service: String, key: String) async throws {
        do {
            _ = try await http.send(.DELETE, "/services/\(http.segment(service))/env-vars/\(http.segment(key))",
                                    action: "delete \(key)", subject: "service \(service)")
        } catch let error as RenderError where error.reason == .notFound {
            // Render says 404 both for an unknown service and for an absent variable: listing tells them apart.
            _ = try await http.send(.GET, "/services/\(http.segment(service))/env-vars", query: [("limit", "1")],
                                    action: "look up the service", subject: "service \(service)")
        }
    }

    /// `GET /services/{id}/env-vars?limit=1`: throws when the service is missing or the key cannot reach it.
    func lookUpService(_ service: String) async throws {
        _ = try await http.send(.GET, "/services/\(http.segment(service))/env-vars", query: [("limit", "1")],
                                action: "look up the service", subject: "service \(service)")
    }

    /// `GET /services/{id}/env-vars/{key}`: the value in plain text, or nil when the variable is absent
    /// (a missing service is an error, as for a deletion).
    func serviceVariable(service: String, key: String) async throws -> String? {
        do {
            let response = try await http.send(.GET, "/services/\(http.segment(service))/env-vars/\(http.segment(key))",
                                               action: "read \(key)", subject: "service \(service)")
            return try http.decode(EnvVar.self, from: response, action: "read \(key)").value
        } catch let error as RenderError where error.reason == .notFound {
            _ = try await http.send(.GET, "/services/\(http.segment(service))/env-vars", query: [("limit", "1")],
                                    action: "look up the service", subject: "service \(service)")
            return nil
        }
    }

    // MARK: Env groups

    /// `GET /env-groups/{id}`: the value of `key` in the group (nil when absent) and the linked services.
    func groupVariable(group: String, key: String) async throws -> (value: String?, services: [String]) {
        let response = try await http.send(.GET, "/env-groups/\(http.segment(group))",
                                           action: "read the env group", subject: "env group \(group)")
        let found = try http.decode(EnvGroup.self, from: response, action: "read the env group")
        return (found.envVars.first { $0.key == key }?.value, found.serviceLinks.map(\.id))
    }

    /// `PUT /env-groups/{id}/env-vars/{key}`; returns the ids of the services linked to the group.
    func putGroupVariable(group: String, key: String, value: String) async throws -> [String] {
        let response = try await http.send(.PUT, "/env-groups/\(http.segment(group))/env-vars/\(http.segment(key))",
                                           body: try http.json(["value": value]),
                                           // Setting one variable to one value is the same however often it is repeated.
                                           idempotent: true,
                                           action: "write \(key)", subject: "env group \(group)")
        return try http.decode(EnvGroup.self, from: response, action: "write \(key)").serviceLinks.map(\.id)
    }

    /// `GET /env-groups/{id}`: the ids of the services linked to the group.
    func linkedServices(group: String) async throws -> [String] {
        let response = try await http.send(.GET, "/env-groups/\(http.segment(group))",
                                           action: "read the env group", subject: "env group \(group)")
        return try http.decode(EnvGroup.self, from: response, action: "read the env group").serviceLinks.map(\.id)
    }

    /// `DELETE /env-groups/{id}/env-vars/{key}`; call `linkedServices` first, which proves the group exists,
    /// so a 404 here means the variable is already absent.
    func deleteGroupVariable(group: String, key: String) async throws {
        do {
            _ = try await http.send(.DELETE, "/env-groups/\(http.segment(group))/env-vars/\(http.segment(key))",
                                    action: "delete \(key)", subject: "env group \(group)")
        } catch let error as RenderError where error.reason == .notFound {
            return
        }
    }

    // MARK: Deploys

    /// `POST /services/{id}/deploys` of what is live now: its commit, or its image for an image-backed
    /// service. Without `commitId` Render would build the branch head, shipping unreleased code
    /// (render-api.md "Corrections").
    func triggerDeploy(service: String) async throws -> Triggered {
        guard let live = try await liveDeploy(service: service) else {
            throw RenderError(.refused, "\(http.dialect.label): service \(service) has no live deploy to redeploy, and a deploy "
                              + "without a commit would ship the branch head; deploy it once in Render, or set deploy: false")
        }
        var body = ["clearCache": "do_not_clear"]
        if let image = live.image?.ref {
            body["imageUrl"] = image
        } else if let commit = live.commit?.id {
            body["commitId"] = commit
        } else {
            throw RenderError(.unexpectedResponse, "\(http.dialect.label): the live deploy \(live.id) of \(service) names neither "
                              + "a commit nor an image, so Rotor cannot redeploy exactly it; deploy in Render yourself")
        }
        let response = try await http.send(.POST, "/services/\(http.segment(service))/deploys",
                                           body: try http.json(body),
                                           // A repeated trigger at worst deploys the same environment once more;
                                           // it cannot put a wrong value live.
                                           idempotent: true,
                                           action: "deploy", subject: "service \(service)")
        if response.status == 202 || response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D }) { return .queued }
        return .created(try http.decode(Deploy.self, from: response, action: "deploy"))
    }

    /// `GET /services/{id}/deploys?status=live&limit=1`: the deploy serving now, if any.
    func liveDeploy(service: String) async throws -> Deploy? {
        let response = try await http.send(.GET, "/services/\(http.segment(service))/deploys", query: [("status", "live"), ("limit", "1")],
                                           action: "find the live deploy", subject: "service \(service)")
        return try http.decode([DeployItem].self, from: response, action: "find the live deploy").first?.deploy
    }

    /// `GET /services/{id}/deploys?limit=N`, newest first.
    func recentDeploys(service: String, limit: Int = 20) async throws -> [Deploy] {
        let response = try await http.send(.GET, "/services/\(http.segment(service))/deploys", query: [("limit", String(limit))],
                                           action: "list deploys", subject: "service \(service)")
        return try http.decode([DeployItem].self, from: response, action: "list deploys").map(\.deploy)
    }

    /// `GET /services/{id}/deploys/{deployId}`.
    func deploy(service: String, id: String) async throws -> Deploy {
        let response = try await http.send(.GET, "/services/\(http.segment(service))/deploys/\(http.segment(id))",
                                           action: "read deploy \(id)", subject: "deploy \(id) of service \(service)")
        return try http.decode(Deploy.self, from: response, action: "read deploy \(id)")
    }
}

// MARK: Shapes

extension RenderAPI {
    /// A deploy object; `createdAt` is RFC 3339 with fractional seconds.
    struct Deploy: Decodable {
        struct Commit: Decodable { var id: String? }
        struct Image: Decodable { var ref: String? }
        var id: String
        var status: String
        var createdAt: String?
        /// What it runs: a commit, or an image for an image-backed service (the other is null).
        var commit: Commit?
        var image: Image?

        var created: Date? { createdAt.flatMap(ISO8601.parse) }
    }

    struct DeployItem: Decodable { var deploy: Deploy }

    /// A variable as Render shows it: the value in plain text.
    struct EnvVar: Decodable {
        var key: String
        var value: String
    }

    struct EnvGroup: Decodable {
        struct Link: Decodable { var id: String }
        var serviceLinks: [Link]
        var envVars: [EnvVar]

        enum CodingKeys: String, CodingKey { case serviceLinks, envVars }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            serviceLinks = try container.decodeIfPresent([Link].self, forKey: .serviceLinks) ?? []
            envVars = (try? container.decodeIfPresent([EnvVar].self, forKey: .envVars)) ?? []
        }
    }
}
