import Foundation
import Hummingbird
import RotorCore

/// JSON request and response bodies, with the service's size limit and error answers.
enum JSONBody {
    /// Requests to the service are small; anything larger is refused before it is parsed.
    static let maxBytes = 16 * 1024

    /// The answer to a body over ``maxBytes``. It closes the connection: the rest of the body is not read.
    static let tooLarge = ServerError(.contentTooLarge, "the request body is larger than \(maxBytes / 1024) KiB",
                                      hint: "send a small JSON object (at most 16 KiB)", headers: [.connection: "close"])

    /// The whole body, at most ``maxBytes`` (413 beyond that, before reading any of it when the
    /// request says its length). A body sent as anything but JSON is answered 415; one sent without a
    /// `Content-Type` is taken as JSON, since some bridges and scripts leave it out.
    static func read(_ request: Request) async throws -> [UInt8] {
        let bytes = try await readBounded(request)
        if !bytes.isEmpty, let type = request.headers[.contentType], !isJSON(type) {
            throw ServerError(.unsupportedMediaType, "the body is not sent as JSON",
                              hint: "send the JSON object with Content-Type: application/json")
        }
        return bytes
    }

    /// The whole body, whatever its type, at most `limit` bytes (`tooLarge` beyond that, before reading any
    /// of it when the request says its length). Every route reads its body through here, JSON or form.
    static func readBounded(_ request: Request, limit: Int = maxBytes, tooLarge: ServerError = tooLarge) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit { throw tooLarge }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge
        }
    }

    /// `application/json`, or a `+json` type, with any parameters (`; charset=utf-8`).
    static func isJSON(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }

    /// Decodes `bytes` as `T`; a 400 naming `shape` when it does not fit. The decoder's own message
    /// is not passed on: it could quote what the client sent.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], shape: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw ServerError(.badRequest, "the body is not the expected JSON object", hint: "send \(shape)")
        }
    }

    /// Encodes `value` as the body of a JSON response.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, noStore: Bool = false) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.string(date))
        }
        // Every value encoded here is built by this module from plain types; a failure is a programming error.
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"internal error","hint":"see the server log"}"#.utf8)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if noStore { headers[.cacheControl] = "no-store" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
