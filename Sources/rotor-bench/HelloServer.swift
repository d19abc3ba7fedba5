import Hummingbird
import Logging

/// The reference for the HTTP bench: a bare Hummingbird 2 POST route on the verify path that reads the body and
/// answers a fixed JSON object of the shape a valid verification has (sorted keys, same size), nothing else.
enum HelloServer {
    static let answer = #"{"key_id":"key_0123456789abcdef","org":"acme","rate_limit":100,"scopes":["read"],"status":"active","valid":true}"#

    static func run(port: Int) async throws {
        var logger = Logger(label: "rotor.bench.hello")
        logger.logLevel = .error
        let router = Router()
        let body = ByteBuffer(string: answer)
        router.post("/v1/keys/verify") { request, _ -> Response in
            var request = request
            _ = try await request.collectBody(upTo: 16 * 1024)
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: body))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        print("rotor-bench hello: listening on http://127.0.0.1:\(port)")
        try await app.runService()
    }
}
