/// Line-level edits of a dotenv file. Only the line that assigns the key changes; every other byte stays.
enum DotenvEditor {
    /// Returns the text with `key` set to `value` (nil removes the line). The value is written bare when
    /// it is plain, else double-quoted with `\`, `"`, `$` and newlines escaped.
    static func set(_ key: String, to value: String?, in text: String) throws -> String {
        guard key.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_.]*/) != nil else {
            throw FileTargetError("dotenv key \(key.debugDescription) is not a valid variable name")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let line = value.map { "\(key)=\(encode($0))" }
        if let index = lines.firstIndex(where: { assignedKey($0) == key }) {
            let export = lines[index].trimmingLeadingSpace.hasPrefix("export ") ? "export " : ""
            if let line {
                lines[index] = export + line
            } else {
                lines.remove(at: index)
            }
            return lines.joined(separator: "\n")
        }
        guard let line else { return text }
        if text.isEmpty { return line + "\n" }
        return text + (text.hasSuffix("\n") ? "" : "\n") + line + "\n"
    }

    static func get(_ key: String, in text: String) -> String? {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where assignedKey(String(line)) == key {
            let raw = String(line[line.index(after: line.firstIndex(of: "=")!)...])
            return decode(raw)
        }
        return nil
    }

    static func assignedKey(_ line: String) -> String? {
        var rest = line.trimmingLeadingSpace
        if rest.hasPrefix("#") { return nil }
        if rest.hasPrefix("export ") { rest = String(rest.dropFirst(7)).trimmingLeadingSpace }
        guard let equals = rest.firstIndex(of: "=") else { return nil }
        let name = rest[..<equals].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : name
    }

    static func encode(_ value: String) -> String {
        let plain = value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-./+=:@~,".contains($0)) }
        if plain && !value.isEmpty { return value }
        var out = "\""
        for ch in value {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "$": out += "\\$"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(ch)
            }
        }
        return out + "\""
    }

    static func decode(_ raw: String) -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 2, trimmed.hasPrefix("'"), trimmed.hasSuffix("'") { return String(trimmed.dropFirst().dropLast()) }
        guard trimmed.count >= 2, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") else { return trimmed }
        var out = ""
        var escaping = false
        for ch in trimmed.dropFirst().dropLast() {
            if escaping {
                switch ch {
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.append(ch)
                }
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else {
                out.append(ch)
            }
        }
        return out
    }
}

extension String {
    var trimmingLeadingSpace: String { String(drop(while: { $0 == " " || $0 == "\t" })) }
}

import Foundation
