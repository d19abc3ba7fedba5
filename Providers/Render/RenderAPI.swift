import Foundation
import RotorCore
import RotorHTTP

/// The Render REST calls a target needs (see `reference/render-api.md`), with every answer other than
/// the documented success turned into a `RenderError` that names the target and never a secret.
///
/// One value per target operation: it holds the resolved API key, so it lives only as long as the call.
struct RenderAPI: Sendable {
    /// `https://api.render.com/v1`, or the sandbox's `/render/v1` prefix; no trailing slash.
    let base: String
    /// The target's label, which starts every error message.
    let label: String
    /// Where the API key came from (`env:RENDER_API_KEY`), safe to print.
    let tokenReference: String
    let token: String
    /// The API key and the value being written: sent to the client for redaction, scrubbed from errors.
    let secrets: [String]
    let client: RetryingHTTPClient

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
        _ = try await send(.PUT, "/services/\(Self.segment(service))/env-vars/\(Self.segment(key))",
                           body: try Self.json(["value": value]),
                           // Setting one variable to one value is the same however often it is repeated.
                           idempotent: true,
                           action: "write \(key)", subject: "service \(service)")
    }

    /// `DELETE /services/{id}/env-vars/{key}`; a variable that is already absent counts as deleted, a
    /// missing service does not.
    func deleteServiceVariable(service: String, key: String) async throws {
        do {
            _ = try await send(.DELETE, "/services/\(Self.segment(service))/env-vars/\(Self.segment(key))",
                               action: "delete \(key)", subject: "service \(service)")
        } catch let error as RenderError where error.reason == .notFound {
            // Render says 404 both for an unknown service and for an absent variable: listing tells them apart.
            _ = try await send(.GET, "/services/\(Self.segment(service))/env-vars", query: [("limit", "1")],
                               action: "look up the service", subject: "service \(service)")
        }
    }

    // MARK: Env groups

    /// `PUT /env-groups/{id}/env-vars/{key}`; returns the ids of the services linked to the group.
    func putGroupVariable(group: String, key: String, value: String) async throws -> [String] {
        let response = try await send(.PUT, "/env-groups/\(Self.segment(group))/env-vars/\(Self.segment(key))",
                                      body: try Self.json(["value": value]),
                                      // Setting one variable to one value is the same however often it is repeated.
                                      idempotent: true,
                                      action: "write \(key)", subject: "env group \(group)")
        return try decode(EnvGroup.self, from: response, action: "write \(key)").serviceLinks.map(\.id)
    }

    /// `GET /env-groups/{id}`: the ids of the services linked to the group.
    func linkedServices(group: String) async throws -> [String] {
        let response = try await send(.GET, "/env-groups/\(Self.segment(group))", action: "read the env group", subject: "env group \(group)")
        return try decode(EnvGroup.self, from: response, action: "read the env group").serviceLinks.map(\.id)
    }

    /// `DELETE /env-groups/{id}/env-vars/{key}`; call `linkedServices` first, which proves the group exists,
    /// so a 404 here means the variable is already absent.
    func deleteGroupVariable(group: String, key: String) async throws {
        do {
            _ = try await send(.DELETE, "/env-groups/\(Self.segment(group))/env-vars/\(Self.segment(key))",
                               action: "delete \(key)", subject: "env group \(group)")
        } catch let error as RenderError where error.reason == .notFound {
            return
        }
    }

    // MARK: Deploys

    /// `POST /services/{id}/deploys`.
    func triggerDeploy(service: String) async throws -> Triggered {
        let response = try await send(.POST, "/services/\(Self.segment(service))/deploys",
                                      body: try Self.json(["clearCache": "do_not_clear"]),
                                      // A repeated trigger at worst deploys the same environment once more;
                                      // it cannot put a wrong value live.
                                      idempotent: true,
                                      action: "deploy", subject: "service \(service)")
        if response.status == 202 || response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D }) { return .queued }
        return .created(try decode(Deploy.self, from: response, action: "deploy"))
    }

    /// `GET /services/{id}/deploys?limit=N`, newest first.
    func recentDeploys(service: String, limit: Int = 20) async throws -> [Deploy] {
        let response = try await send(.GET, "/services/\(Self.segment(service))/deploys", query: [("limit", String(limit))],
                                      action: "list deploys", subject: "service \(service)")
        return try decode([DeployItem].self, from: response, action: "list deploys").map(\.deploy)
    }

    /// `GET /services/{id}/deploys/{deployId}`.
    func deploy(service: String, id: String) async throws -> Deploy {
        let response = try await send(.GET, "/services/\(Self.segment(service))/deploys/\(Self.segment(id))",
                                      action: "read deploy \(id)", subject: "deploy \(id) of service \(service)")
        return try decode(Deploy.self, from: response, action: "read deploy \(id)")
    }

    // MARK: Transport

    private func send(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
                      idempotent: Bool? = nil, action: String, subject: String) async throws -> HTTPResponse {
        let queryText = query.isEmpty ? "" : "?" + query.map { "\($0.0)=\(Self.queryPart($0.1))" }.joined(separator: "&")
        var request = HTTPRequest(method: method, url: base + path + queryText, body: body)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if body != nil { request.headers.add(name: "Content-Type", value: "application/json") }
        request.secrets = secrets
        if let idempotent { request.isIdempotent = idempotent }
        let response: HTTPResponse
        do {
            response = try await client.execute(request)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw RenderError(.unreachable, "\(label): cannot reach Render at \(base) to \(action) (\(scrub("\(error)"))); "
                              + "check the api setting and the network, then run again")
        }
        guard (200..<300).contains(response.status) else { throw failure(response, action: action, subject: subject) }
        return response
    }

    /// The error for a non-2xx answer, from Render's `{"id","message"}` body when it has one.
    private func failure(_ response: HTTPResponse, action: String, subject: String) -> RenderError {
        let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body))
        let message = scrub(String((body?.message ?? body?.id ?? "no message").prefix(300)))
        let status = response.status
        switch status {
        case 401, 403:
            return RenderError(.rejectedToken, status: status,
                               "\(label): Render rejected the API key from \(tokenReference) (\(status) \(body?.id ?? "unauthorized")) "
                               + "while trying to \(action) on \(subject); check that the key is valid and belongs to the workspace")
        case 404:
            return RenderError(.notFound, status: status,
                               "\(label): Render found no \(subject) (404: \(message)); check the id (srv-… or evg-…) and the API key's workspace")
        case 429:
            return RenderError(.rateLimited, status: status,
                               "\(label): Render kept rate-limiting the request to \(action) on \(subject) (429) beyond the retry policy; "
                               + "run again later (deploys are limited to 10 a minute per service) or lower the render concurrency")
        case 400..<500:
            return RenderError(.refused, status: status,
                               "\(label): Render refused to \(action) on \(subject) (\(status): \(message)); fix the target's settings")
        default:
            return RenderError(.serverError, status: status,
                               "\(label): Render answered \(status) to \(action) on \(subject), also after retries; run again later")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, action: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw RenderError(.unexpectedResponse, status: response.status,
                              "\(label): Render's \(response.status) answer to \(action) does not have the documented shape; "
                              + "check that api points at the Render API (…/v1)")
        }
    }

    func scrub(_ text: String) -> String {
        Redactor(values: [], extra: secrets).scrub(text)
    }

    private static func json(_ value: some Encodable) throws -> [UInt8] {
        Array(try JSONEncoder().encode(value))
    }

    private static func segment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    private static func queryPart(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

// MARK: Shapes

extension RenderAPI {
    /// A deploy object; `createdAt` is RFC 3339 with fractional seconds.
    struct Deploy: Decodable {
        var id: String
        var status: String
        var createdAt: String?

        var created: Date? { createdAt.flatMap(ISO8601.parse) }
    }

    struct DeployItem: Decodable { var deploy: Deploy }

    struct EnvGroup: Decodable {
        struct Link: Decodable { var id: String }
        var serviceLinks: [Link]

        enum CodingKeys: String, CodingKey { case serviceLinks }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            serviceLinks = try container.decodeIfPresent([Link].self, forKey: .serviceLinks) ?? []
        }
    }

    struct ErrorBody: Decodable {
        var id: String?
        var message: String?
    }
}
