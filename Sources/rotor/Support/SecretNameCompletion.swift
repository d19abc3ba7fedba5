import ArgumentParser
import Foundation

/// Shell completion of secret names: the `secret:` of each playbook in the playbooks folder (`--playbooks` on
/// the line being completed, else ROTOR_PLAYBOOKS, else ./Playbooks). It runs on every TAB, so it reads only the
/// top of each file with a line scan: no YAML parsing, no rotor.yml, no master key, no store.
enum SecretNameCompletion {
    /// For `@Argument(completion: SecretNameCompletion.kind)`.
    static let kind = CompletionKind.custom { words, _, prefix in
        names(playbooks: playbooksPath(words: words, environment: ProcessInfo.processInfo.environment))
            .filter { $0.hasPrefix(prefix) }
    }

    /// Files larger than this are not playbooks anyone wrote by hand; they are skipped rather than read.
    static let maximumFileSize = 256 * 1024
    /// At most this many files are read, so a huge folder cannot stall the shell.
    static let maximumFiles = 500

    /// The playbooks folder the command line being completed would use.
    static func playbooksPath(words: [String], environment: [String: String]) -> String {
        for (index, word) in words.enumerated() {
            if word == "--playbooks", index + 1 < words.count { return words[index + 1] }
            if word.hasPrefix("--playbooks=") { return String(word.dropFirst("--playbooks=".count)) }
        }
        if let path = environment["ROTOR_PLAYBOOKS"], !path.isEmpty { return path }
        return "./Playbooks"
    }

    /// The secret names of the playbooks at `path` (a folder of `*.yml`/`*.yaml`, or one file), sorted, each once.
    static func names(playbooks path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        let files: [String]
        if isDirectory.boolValue {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = entries.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().prefix(maximumFiles)
                .map { "\(path)/\($0)" }
        } else {
            files = [path]
        }
        return Array(Set(files.compactMap(secretName(file:)))).sorted()
    }

    /// The value of the top-level `secret:` key of a playbook file, if it has a plain one.
    static func secretName(file: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              (attributes[.size] as? NSNumber)?.intValue ?? Int.max <= maximumFileSize,
              let data = FileManager.default.contents(atPath: file) else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) where line.hasPrefix("secret:") {
            var value = line.dropFirst("secret:".count)
            if let comment = value.range(of: " #") { value = value[..<comment.lowerBound] }
            let name = value.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            // A secret name is what a playbook may declare; anything else (a flow mapping, an anchor) is not offered.
            guard !name.isEmpty, name.count <= 128,
                  name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) })
            else { return nil }
            return name
        }
        return nil
    }
}
