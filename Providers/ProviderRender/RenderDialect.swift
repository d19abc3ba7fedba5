import Foundation
import RotorHTTP

/// How Render reports failures: `{"id","message"}` bodies, and sentences that name the target, the API
/// key's reference and what was addressed (a `srv-…` service, an `evg-…` env group, a deploy).
struct RenderDialect: VendorDialect {
    typealias Failure = RenderError

    /// The target's label, which starts every error message.
    let label: String
    /// Where the API key came from (`env:RENDER_API_KEY`), safe to print.
    let tokenReference: String

    private struct ErrorBody: Decodable {
        var id: String?
        var message: String?
    }

    /// Render's `id` is its error code; a body with only an id shows it as the message too.
    func errorDetail(in body: [UInt8]) -> (code: String?, message: String?) {
        let error = try? JSONDecoder().decode(ErrorBody.self, from: Data(body))
        return (error?.id, error?.message ?? error?.id)
    }

    /// Render's documented budgets (reference/render-api.md): GETs (400 a minute), other writes (30 a minute),
    /// and deploys, 10 a minute for each service.
    func rateLimitBucket(method: HTTPMethod, path: String) -> String? {
        if method == .GET || method == .HEAD { return "read" }
        let parts = path.split(separator: "/")
        if method == .POST, parts.count == 3, parts[0] == "services", parts[2] == "deploys" { return "deploy \(parts[1])" }
        return "write"
    }

    func describe(_ failure: VendorAPIFailure) -> String {
        let (action, subject) = (failure.action, failure.subject)
        let status = failure.status ?? 0
        let message = failure.message ?? "no message"
        switch failure.reason {
        case .unreachable:
            return "\(label): cannot reach Render at \(failure.base) to \(action) (\(message)); "
                + "check the api setting and the network, then run again"
        case .unexpectedResponse:
            return "\(label): Render's \(status) answer to \(action) does not have the documented shape; "
                + "check that api points at the Render API (…/v1)"
        case .rejectedToken:
            return "\(label): Render rejected the API key from \(tokenReference) (\(status) \(failure.code ?? "unauthorized")) "
                + "while trying to \(action) on \(subject); check that the key is valid and belongs to the workspace"
        case .notFound:
            return "\(label): Render found no \(subject) (404: \(message)); check the id (srv-… or evg-…) and the API key's workspace"
        case .rateLimited:
            return "\(label): Render kept rate-limiting the request to \(action) on \(subject) (429) beyond the retry policy; "
                + "run again later (deploys are limited to 10 a minute per service) or lower the render concurrency"
        case .refused:
            return "\(label): Render refused to \(action) on \(subject) (\(status): \(message)); fix the target's settings"
        default:
            return "\(label): Render answered \(status) to \(action) on \(subject), also after retries; run again later"
        }
    }
}
