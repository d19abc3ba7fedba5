/// RFC 2045 §6.7 quoted-printable, for a text body that is not plain short-lined ASCII.
enum QuotedPrintable {
    /// Encoded lines are at most 76 characters, a trailing "=" soft line break included.
    private static let lineLimit = 76
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// `lines` (UTF-8, without line ends) encoded, each ending in CRLF. Hard line breaks stay where
    /// they were; long lines get soft breaks.
    static func encode(lines: [[UInt8]]) -> [UInt8] {
        var output: [UInt8] = []
        for line in lines {
            var current = 0
            for (index, byte) in line.enumerated() {
                let isLast = index == line.count - 1
                // Whitespace at the end of a line would be stripped in transit, so it is encoded there.
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && !isLast)
                let token: [UInt8] = literal ? [byte]
                    : [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
                // Leaves room for the "=" of a soft break, unless this token ends the line.
                let room = isLast ? lineLimit : lineLimit - 1
                if current + token.count > room {
                    output += Array("=\r\n".utf8)
                    current = 0
                }
                output += token
                current += token.count
            }
            output += Array("\r\n".utf8)
        }
        return output
    }
}
