import Foundation
import RotorCore

extension PlaybookSet {
    /// Diagnostics of invalid files, by the secret they declare (or the file name when they do not say), so a
    /// status listing can show a broken playbook under its secret's name.
    public var problemsBySecret: [String: [String]] {
        var result: [String: [String]] = [:]
        for (file, diagnostics) in invalidFiles {
            let name = PlaybookSet.declaredSecret(file: file) ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            result[name, default: []] += diagnostics.map(\.description)
        }
        return result
    }

    /// The `secret:` a file declares on a top-level line, read without parsing (the file may not parse).
    static func declaredSecret(file: String) -> String? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("secret:") {
            let value = line.dropFirst("secret:".count).trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
