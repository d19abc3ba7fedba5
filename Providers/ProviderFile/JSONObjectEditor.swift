import Foundation

/// Edits one top-level member of a JSON object in place: only the bytes of that member's value change
/// (or the member is appended / removed), so formatting, order and every other member stay as they were.
enum JSONObjectEditor {
    struct Member {
        var key: String
        /// The whole member, from the key's opening quote to the end of its value.
        var memberRange: Range<Int>
        var valueRange: Range<Int>
    }

    static func set(_ key: String, to value: String?, in text: String, file: String) throws -> String {
        var bytes = Array(text.utf8)
        let (members, open, close) = try scan(bytes, file: file)
        let encodedValue = value.map { Array(encode($0).utf8) }
        if let member = members.first(where: { $0.key == key }) {
            if let encodedValue {
                bytes.replaceSubrange(member.valueRange, with: encodedValue)
            } else {
                // Remove the member with the comma that separates it from a neighbour.
                var range = member.memberRange
                if let index = members.firstIndex(where: { $0.key == key }) {
                    if index + 1 < members.count {
                        range = member.memberRange.lowerBound..<members[index + 1].memberRange.lowerBound
                    } else if index > 0 {
                        range = members[index - 1].valueRange.upperBound..<member.memberRange.upperBound
                    }
                }
                bytes.removeSubrange(range)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let encodedValue else { return text }
        let entry = Array("\(encode(key)): ".utf8) + encodedValue
        if let last = members.last {
            // Follow the file's own layout: the whitespace before the last member.
            var start = open + 1
            if members.count > 1 {
                var j = last.memberRange.lowerBound - 1
                while j > open, bytes[j] != UInt8(ascii: ",") { j -= 1 }
                start = j + 1
            }
            let indent = bytes[start..<last.memberRange.lowerBound]
            bytes.insert(contentsOf: Array(",".utf8) + indent + entry, at: last.valueRange.upperBound)
        } else {
            let multiline = bytes[open..<close].contains(UInt8(ascii: "\n"))
            let insertion = multiline ? Array("\n  ".utf8) + entry + Array("\n".utf8) : entry
            bytes.replaceSubrange((open + 1)..<close, with: insertion)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func get(_ key: String, in text: String, file: String) throws -> String? {
        let bytes = Array(text.utf8)
        let (members, _, _) = try scan(bytes, file: file)
        guard let member = members.first(where: { $0.key == key }) else { return nil }
        let raw = Data(bytes[member.valueRange])
        return try? JSONDecoder().decode(String.self, from: raw)
    }

    static func encode(_ string: String) -> String {
        let data = (try? JSONEncoder().encode(string)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Scanner

    /// The top-level members, and the offsets of the object's braces.
    static func scan(_ b: [UInt8], file: String) throws -> ([Member], Int, Int) {
        var i = 0
        func fail(_ message: String) -> FileTargetError {
            FileTargetError("\(file) is not a JSON object Rotor can edit (\(message) at byte \(i)); fix the file or use format: dotenv")
        }
        func skipSpace() { while i < b.count, [0x20, 0x09, 0x0A, 0x0D].contains(b[i]) { i += 1 } }
        func skipString() throws {
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a string") }
            i += 1
            while i < b.count {
                if b[i] == UInt8(ascii: "\\") { i += 2; continue }
                if b[i] == UInt8(ascii: "\"") { i += 1; return }
                i += 1
            }
            throw fail("unterminated string")
        }
        func skipValue(depth: Int) throws {
            guard depth < 512 else { throw fail("nested too deeply") }
            skipSpace()
            guard i < b.count else { throw fail("unexpected end") }
            switch b[i] {
            case UInt8(ascii: "\""): try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = b[i] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                let isObject = close == UInt8(ascii: "}")
                i += 1
                skipSpace()
                if i < b.count, b[i] == close { i += 1; return }
                while true {
                    if isObject {
                        skipSpace()
                        try skipString()
                        skipSpace()
                        guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                        i += 1
                    }
                    try skipValue(depth: depth + 1)
                    skipSpace()
                    guard i < b.count else { throw fail("unexpected end") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == close { i += 1; return }
                    throw fail("expected ',' or a closing bracket")
                }
            default:
                let start = i
                while i < b.count, !([0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(b[i])) { i += 1 }
                if start == i { throw fail("expected a value") }
            }
        }

        skipSpace()
        guard i < b.count, b[i] == UInt8(ascii: "{") else { throw fail("expected '{'") }
        let open = i
        i += 1
        var members: [Member] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") {
            let close = i
            i += 1
            skipSpace()
            guard i == b.count else { throw fail("text after the object") }
            return ([], open, close)
        }
        while true {
            skipSpace()
            let keyStart = i
            try skipString()
            guard let key = try? JSONDecoder().decode(String.self, from: Data(b[keyStart..<i])) else { throw fail("bad key") }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipSpace()
            let valueStart = i
            try skipValue(depth: 1)
            members.append(Member(key: key, memberRange: keyStart..<i, valueRange: valueStart..<i))
            skipSpace()
            guard i < b.count else { throw fail("unexpected end") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") {
                let close = i
                i += 1
                skipSpace()
                guard i == b.count else { throw fail("text after the object") }
                return (members, open, close)
            }
            throw fail("expected ',' or '}'")
        }
    }
}
