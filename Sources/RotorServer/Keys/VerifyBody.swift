/// The body of `POST /v1/keys/verify`: `{"key": "…"}`.
struct VerifyBody: Decodable {
    var key: String

    /// Where the key is in a body of exactly the plain form `{"key":"…"}` (whitespace allowed around the
    /// tokens, the key without escapes or control characters); nil for anything else, which the JSON decoder
    /// then reads (or refuses) as before.
    static func plainKey(in body: [UInt8]) -> Range<Int>? {
        var position = 0
        func skipSpace() {
            while position < body.count {
                let byte = body[position]
                guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
                position += 1
            }
        }
        func take(_ literal: StaticString) -> Bool {
            let bytes = UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
            guard body.count - position >= bytes.count, body[position..<(position + bytes.count)].elementsEqual(bytes) else { return false }
            position += bytes.count
            return true
        }
        skipSpace()
        guard take("{") else { return nil }
        skipSpace()
        guard take("\"key\"") else { return nil }
        skipSpace()
        guard take(":") else { return nil }
        skipSpace()
        guard take("\"") else { return nil }
        let start = position
        while position < body.count, body[position] != UInt8(ascii: "\"") {
            // ASCII only: anything else (and invalid UTF-8) is for the decoder to judge.
            guard body[position] >= 0x20, body[position] < 0x80, body[position] != UInt8(ascii: "\\") else { return nil }
            position += 1
        }
        let end = position
        guard take("\"") else { return nil }
        skipSpace()
        guard take("}") else { return nil }
        skipSpace()
        return position == body.count ? start..<end : nil
    }
}
