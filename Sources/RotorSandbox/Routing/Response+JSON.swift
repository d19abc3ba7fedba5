import Hummingbird

extension Response {
    /// A response with `value` as its JSON body (or no body when nil).
    static func json(_ value: JSONValue?, status: HTTPResponse.Status = .ok, headers: [(String, String)] = []) -> Response {
        var fields = HTTPFields()
        for (name, headerValue) in headers {
            if let name = HTTPFields.Element.Name(name) { fields.append(HTTPFields.Element(name: name, value: headerValue)) }
        }
        guard let value else {
            fields[.contentLength] = "0"
            return Response(status: status, headers: fields)
        }
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: value.serialized)))
    }

    /// Sets `name` to `value`, replacing any earlier field of that name.
    mutating func setHeader(_ name: String, _ value: String) {
        if let name = HTTPFields.Element.Name(name) { headers[name] = value }
    }
}
