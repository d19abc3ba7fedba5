/// Lines libcurl hands to a header callback: HTTP header lines, or SMTP server replies.
enum CurlLine {
    /// The line without its line end, decoded as UTF-8. Trimmed as bytes: in Swift "\r\n" is one
    /// Character, which hasSuffix("\n") does not match.
    static func text(_ chunk: UnsafeRawBufferPointer) -> String {
        var end = chunk.endIndex
        while end > chunk.startIndex, chunk[end - 1] == UInt8(ascii: "\n") || chunk[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return String(decoding: chunk[..<end], as: UTF8.self)
    }
}
