/// Which of Render's request budgets a request spends.
enum RenderBucket: Sendable, Hashable {
    /// GET requests (400 a minute).
    case read
    /// Other requests (30 a minute).
    case write
    /// `POST /services/{id}/deploys` (10 a minute per service).
    case deploy(service: String)

    /// The bucket of a request to `path` (relative to `/render/v1`).
    static func of(method: String, path: String) -> RenderBucket {
        if method == "GET" || method == "HEAD" { return .read }
        let parts = path.split(separator: "/")
        if method == "POST", parts.count == 3, parts[0] == "services", parts[2] == "deploys" {
            return .deploy(service: String(parts[1]))
        }
        return .write
    }
}
