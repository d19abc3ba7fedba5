/// Which emulated API a request path belongs to, and how that API words its errors.
enum EmulatedAPI: Sendable, Equatable {
    case vercel, render, vendor, openai, onepassword, apps, admin, other

    /// The API of `path` and the path relative to its base (`/vercel`, `/render/v1`, …).
    static func of(path: String) -> (api: EmulatedAPI, relativePath: String) {
        for (api, base) in [(EmulatedAPI.vercel, "/vercel"), (.render, "/render/v1"), (.vendor, "/vendor"), (.openai, "/openai"),
                            (.onepassword, "/onepassword"), (.apps, "/apps"),
                            (.admin, "/_sandbox")] {
            if path == base { return (api, "/") }
            if path.hasPrefix(base + "/") { return (api, String(path.dropFirst(base.count))) }
        }
        return (.other, path)
    }

    /// The fault target matching this API, or nil for the sandbox's own endpoints (never faulted).
    var faultTarget: SandboxFault.Target? {
        switch self {
        case .vercel: .vercel
        case .render: .render
        case .vendor: .vendor
        case .openai: .openai
        case .onepassword: .onepassword
        case .apps: .apps
        case .admin, .other: nil
        }
    }

    /// An error in this API's shape for `status`.
    func failure(status: Int, message: String) -> APIFailure {
        switch self {
        case .vercel: .vercel(status, Self.code(for: status), message)
        case .render: .render(status, Self.code(for: status), message)
        case .openai: .openAI(status, status >= 500 ? "server_error" : "invalid_request_error", message)
        case .onepassword: .onePassword(status, message)
        case .vendor, .apps, .admin, .other: .plain(status, Self.code(for: status), message)
        }
    }

    private static func code(for status: Int) -> String {
        switch status {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 410: "gone"
        case 415: "unsupported_media_type"
        case 429: "rate_limited"
        case 500: "internal_server_error"
        case 502: "bad_gateway"
        case 503: "service_unavailable"
        case 504: "gateway_timeout"
        default: status >= 500 ? "internal_server_error" : "bad_request"
        }
    }
}
