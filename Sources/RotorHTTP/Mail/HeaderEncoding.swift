import Foundation

/// Writes an unstructured header field (Subject, an extra field) as lines of at most 78 characters
/// where possible: plain ASCII folded at spaces, anything else as RFC 2047 encoded-words.
enum HeaderEncoding {
    /// RFC 2047 §2: a line holding encoded-words is at most 76 characters.
    private static let encodedLineLimit = 76
    /// RFC 5322 §2.1.1: lines SHOULD be at most 78 characters.
    private static let foldLimit = 78
    /// RFC 5322 §2.1.1: lines MUST be at most 998 characters.
    private static let hardLimit = 998

    /// `name: value` as CRLF-separated lines, without the final CRLF. The caller has checked that
    /// `value` has no control characters.
    static func field(name: String, value: String) -> String {
        // "=?" in plain text would be read as the start of an encoded-word, so such text is encoded too.
        let isPlain = value.unicodeScalars.allSatisfy { (32...126).contains($0.value) } && !value.contains("=?")
        if isPlain, let folded = folded(name: name, value: value) {
            return folded
        }
        return encodedWords(name: name, value: value)
    }

    /// ASCII folded before spaces so that lines stay within 78 characters; nil when a single word is
    /// too long for the hard limit.
    private static func folded(name: String, value: String) -> String? {
        var lines: [String] = []
        var line = "\(name):"
        for (index, word) in value.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            let piece = " " + word
            if index > 0, line.utf8.count + piece.utf8.count > foldLimit, !line.allSatisfy({ $0 == " " }) {
                lines.append(line)
                line = ""
            }
            line += piece
            if line.utf8.count > hardLimit { return nil }
        }
        lines.append(line)
        // A folded line made only of spaces would be unfolded into nothing by some readers.
        if lines.dropFirst().contains(where: { $0.allSatisfy { $0 == " " } }) { return nil }
        return lines.joined(separator: "\r\n")
    }

    /// `=?UTF-8?B?...?=` words, each holding whole Unicode scalars (RFC 2047 §5), one per line.
    private static func encodedWords(name: String, value: String) -> String {
        let overhead = "=?UTF-8?B??=".utf8.count
        var lines: [String] = []
        var prefix = "\(name): "
        var chunk: [UInt8] = []

        /// The most bytes whose Base64 fits a word on a line starting with `prefix`.
        func capacity(after prefix: String) -> Int {
            (encodedLineLimit - prefix.utf8.count - overhead) / 4 * 3
        }
        func flush() {
            guard !chunk.isEmpty else { return }
            lines.append(prefix + "=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
            prefix = " "
            chunk.removeAll()
        }

        // A long field name leaves no room for a word on its first line; the words start on the next.
        if capacity(after: prefix) < 4 {
            lines.append("\(name):")
            prefix = " "
        }
        for scalar in value.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > capacity(after: prefix) { flush() }
            chunk += bytes
        }
        flush()
        if lines.isEmpty { lines.append("\(name):") }
        return lines.joined(separator: "\r\n")
    }
}
