import Foundation
import Hummingbird

/// The sandbox's own endpoints under `/_sandbox`: state, faults, reset. No auth (the server listens
/// on loopback), but bodies must be JSON, so that a web page cannot post a form here.
struct AdminRoutes {
    let store: SandboxStore

    func register<Context: RequestContext>(on router: Router<Context>) {
        let store = self.store
        let group = router.group("_sandbox")
        group.get("state") { _, _ in Response.json(await store.stateJSON()) }
        group.get("faults") { _, _ in Response.json(["faults": await store.faults.json]) }
        group.post("faults") { request, context in
            try Self.requireJSON(request)
            let malformed = APIFailure.plain(400, "bad_request", "The body must be a fault object, see SandboxFault.")
            guard let body = try await request.jsonBody(context: context, malformed: malformed) else { throw malformed }
            let fault: SandboxFault
            do {
                fault = try JSONDecoder().decode(SandboxFault.self, from: Data(body.serialized.utf8))
            } catch {
                throw APIFailure.plain(400, "bad_request", "Not a valid fault: \(Self.describe(error))")
            }
            do throws(SandboxError) {
                let id = try await store.inject(fault)
                return Response.json(["id": .string(id), "faults": await store.faults.json], status: .created)
            } catch {
                throw APIFailure.plain(400, "bad_request", error.message)
            }
        }
        group.delete("faults") { _, _ in
            await store.clearFaults()
            return Response.json(["faults": []])
        }
        group.post("reset") { request, _ in
            if request.headers[.contentType] != nil { try Self.requireJSON(request) }
            await store.reset()
            return Response.json(await store.stateJSON())
        }
    }

    /// The body of an admin call: a JSON object (`{}` when empty), sent as `application/json`.
    static func requireObject(_ request: Request, context: some RequestContext) async throws -> JSONValue {
        try requireJSON(request)
        let malformed = APIFailure.plain(400, "bad_request", "The body must be a JSON object.")
        let body = try await request.jsonBody(context: context, malformed: malformed) ?? [:]
        guard case .object = body else { throw malformed }
        return body
    }

    private static func requireJSON(_ request: Request) throws {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("application/json") else {
            throw APIFailure.plain(415, "unsupported_media_type", "Send Content-Type: application/json.")
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
