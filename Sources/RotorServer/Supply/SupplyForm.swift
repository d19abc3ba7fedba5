import Foundation

/// An `application/x-www-form-urlencoded` body, read leniently: a malformed pair is skipped, the first of a repeated
/// name wins. Its values are never logged.
struct SupplyForm {
    private var fields: [String: String] = [:]

    init(bytes: [UInt8]) {
        for pair in String(decoding: bytes, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let name = Self.decode(parts[0]), let value = Self.decode(parts[1]), fields[name] == nil else { continue }
            fields[name] = value
        }
    }

    subscript(name: String) -> String? { fields[name] }

    /// `application/x-www-form-urlencoded`, with any parameters (`; charset=utf-8`), in any case.
    static func isForm(_ contentType: String) -> Bool {
        contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "application/x-www-form-urlencoded"
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
