import Foundation
import Hummingbird
import RotorCrypto

/// Runs around every request: injected latency and status faults, Render's rate limits and the
/// `Ratelimit-*` / `Render-Request-Id` headers on every Render response, and errors (unknown paths
/// included) worded the way the API of the path words them.
struct SandboxMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: SandboxStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let (api, relativePath) = EmulatedAPI.of(path: request.uri.path)
        let method = request.method.rawValue.uppercased()
        var response: Response
        var admission: RenderState.Admission?
        var lost: SandboxFault?

        if let target = api.faultTarget {
            let faultRequest = FaultRequest(target: target, path: relativePath, fullPath: request.uri.path, method: method)
            let delay = await store.takeLatency(faultRequest)
            if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
            if let fault = await store.takeStatusFault(faultRequest) {
                if api == .render {
                    admission = await store.admitRender(RenderBucket.of(method: method, path: relativePath), spend: false)
                }
                response = Self.faultResponse(fault, api: api, admission: admission)
                if api == .render { Self.addRenderHeaders(to: &response, admission: admission!, fault: fault) }
                return response
            }
            lost = await store.takeLostResponseFault(faultRequest)
        }

        if api == .render {
            let granted = await store.admitRender(RenderBucket.of(method: method, path: relativePath), spend: true)
            admission = granted
            guard granted.allowed else {
                var refused = APIFailure.render(429, "rate_limit_exceeded", "rate limit exceeded; retry after \(granted.reset) seconds")
                refused.headers = [("Retry-After", String(granted.reset))]
                response = Response.json(refused.body, status: refused.status, headers: refused.headers)
                Self.addRenderHeaders(to: &response, admission: granted, fault: nil)
                return response
            }
        }

        do {
            response = try await next(request, context)
        } catch let failure as APIFailure {
            response = Response.json(failure.body, status: failure.status, headers: failure.headers)
        } catch let error as HTTPError {
            let message = error.status == .notFound ? "no such endpoint: \(method) \(request.uri.path)" : (error.body ?? "request failed")
            let failure = api.failure(status: Int(error.status.code), message: message)
            response = Response.json(failure.body, status: failure.status)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.error("sandbox handler failed", metadata: ["error": "\(String(describing: type(of: error)))"])
            let failure = api.failure(status: 500, message: "the sandbox failed to handle this request")
            response = Response.json(failure.body, status: failure.status)
        }
        // The request took effect; its answer is "lost" and replaced by the fault's status.
        if let lost { response = Self.faultResponse(lost, api: api, admission: admission) }
        if let admission { Self.addRenderHeaders(to: &response, admission: admission, fault: nil) }
        // Path only: a query could one day carry something sensitive; headers and bodies never logged.
        context.logger.debug("sandbox request", metadata: [
            "http.method": "\(method)", "http.path": "\(request.uri.path)", "http.status": "\(response.status.code)",
        ])
        return response
    }

    /// The answer to a request hit by a status fault, in the API's own words.
    private static func faultResponse(_ fault: SandboxFault, api: EmulatedAPI, admission: RenderState.Admission?) -> Response {
        let status = fault.status ?? 500
        guard status == 429 else {
            let failure = api.failure(status: status, message: "failure injected by the sandbox (status \(status))")
            return Response.json(failure.body, status: failure.status)
        }
        let retryAfter = fault.retryAfter ?? 1
        let failure: APIFailure
        switch api {
        case .vercel:
            let reset = Date().addingTimeInterval(TimeInterval(retryAfter))
            failure = .vercel(429, "rate_limited", "Rate limit exceeded", extra: [("limit", [
                "remaining": 0, "reset": .int(Int(reset.timeIntervalSince1970.rounded(.up))),
                "resetMs": .int(Timestamp.milliseconds(reset)), "total": 100,
            ])])
        case .render:
            failure = .render(429, "rate_limit_exceeded", "rate limit exceeded; retry after \(retryAfter) seconds")
        default:
            failure = api.failure(status: 429, message: "Too many requests; retry after \(retryAfter) seconds")
        }
        return Response.json(failure.body, status: failure.status, headers: [("Retry-After", String(retryAfter))])
    }

    /// Render sends these on every response; a 429 fault says when to come back in `Ratelimit-Reset` too.
    private static func addRenderHeaders(to response: inout Response, admission: RenderState.Admission, fault: SandboxFault?) {
        let faulted429 = fault?.status == 429
        response.setHeader("Ratelimit-Limit", String(admission.limit))
        response.setHeader("Ratelimit-Remaining", faulted429 ? "0" : String(admission.remaining))
        response.setHeader("Ratelimit-Reset", faulted429 ? String(fault?.retryAfter ?? 1) : String(admission.reset))
        response.setHeader("Render-Request-Id", "req-" + Base62.randomString(length: 20).lowercased())
    }
}
