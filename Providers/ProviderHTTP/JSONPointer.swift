import Foundation

/// An RFC 6901 JSON Pointer (`""` for the whole document, `/a/0/b~1c` for nested members, with `~1` for
/// `/` and `~0` for `~`), resolved against a document decoded by `JSONSerialization`.
public struct JSONPointer: Sendable, Equatable, CustomStringConvertible {
    /// The reference tokens, unescaped.
    public let tokens: [String]
    /// The pointer as written.
    public let description: String

    /// Parses `text`; throws when it is neither empty nor starts with `/`, or has a `~` not followed by 0 or 1.
    public init(parsing text: String) throws {
        description = text
        guard !text.isEmpty else {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw HTTPSourceError("\(text.debugDescription) is not a JSON pointer: it must be empty or start with /")
        }
        tokens = try text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { raw in
            var token = ""
            var iterator = raw.makeIterator()
            while let character = iterator.next() {
                guard character == "~" else {
                    token.append(character)
                    continue
                }
                switch iterator.next() {
                case "0": token.append("~")
                case "1": token.append("/")
                default:
                    throw HTTPSourceError("\(text.debugDescription) is not a JSON pointer: ~ must be followed by 0 or 1")
                }
            }
            return token
        }
    }

    /// The value the pointer designates in `document`, or nil when nothing is there. An array index must be
    /// a plain decimal number (no sign, no leading zero), as RFC 6901 requires.
    public func resolve(in document: Any) -> Any? {
        var current = document
        for token in tokens {
            if let object = current as? [String: Any] {
                guard let next = object[token] else { return nil }
                current = next
            } else if let array = current as? [Any] {
                guard let index = Self.arrayIndex(token), index < array.count else { return nil }
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }

    private static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.allSatisfy(\.isASCII), token.allSatisfy(\.isNumber),
              token == "0" || !token.hasPrefix("0") else { return nil }
        return Int(token)
    }
}
