import Hummingbird

/// `GET /openapi.json`: the OpenAPI 3.1 document of this service, `Resources/openapi.json` as committed
/// (embedded in the binary at build time, so an installed `rotor` needs no resource files beside it).
/// The conformance tests hold the running server to it, route by route and answer by answer.
enum OpenAPIRoute {
    /// The document's bytes, exactly as committed.
    static let document: [UInt8] = PackageResources.openapi_json

    static func answer() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: document)))
    }
}
