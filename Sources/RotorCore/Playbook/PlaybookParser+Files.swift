import Foundation

extension PlaybookParser {
    /// Parses playbook files and directories. A directory contributes its `*.yml` and `*.yaml` files in name
    /// order (not its subdirectories: name those to include them); a file named directly is read whatever its
    /// extension. Unreadable, oversized and non-UTF-8 files, and a second playbook for a secret already
    /// defined, become diagnostics; every other file is still parsed.
    public func parseFiles(_ paths: [String]) -> PlaybookSet {
        var set = PlaybookSet()
        var seenFiles = Set<String>()
        var secrets: [String: String] = [:]   // secret name → first file
        for path in paths {
            let files = expand(path)
            if files.isEmpty {
                let problem = Diagnostic(location: PlaybookLocation(file: path, line: 1, column: 1),
                                         message: "no playbooks (*.yml or *.yaml) in this directory",
                                         hint: "subdirectories are read only when named")
                set.diagnostics.append(problem)
                set.invalidFiles[path] = [problem]
            }
            parse(files, into: &set, seenFiles: &seenFiles, secrets: &secrets)
        }
        return set
    }

    private func parse(_ files: [String], into set: inout PlaybookSet, seenFiles: inout Set<String>,
                       secrets: inout [String: String]) {
        for file in files {
            guard seenFiles.insert(URL(fileURLWithPath: file).standardizedFileURL.path).inserted else { continue }
            var diagnostics: [Diagnostic]
            var playbook: Playbook?
            switch Self.readText(file) {
            case .unusable(let problem):
                diagnostics = [problem]
            case .text(let text):
                let result = parseDetailed(file: file, text: text)
                (playbook, diagnostics) = (result.playbook, result.diagnostics)
                if let found = playbook {
                    if let first = secrets[found.secret] {
                        diagnostics.append(Diagnostic(
                            location: result.secretAt ?? PlaybookLocation(file: file, line: 1, column: 1),
                            message: "secret '\(found.secret)' is already defined in \(first)",
                            hint: "one playbook per secret; rename this one or remove a file"))
                        playbook = nil
                    } else {
                        secrets[found.secret] = file
                    }
                }
            }
            set.diagnostics += diagnostics
            if let playbook {
                set.playbooks.append(playbook)
            } else {
                set.invalidFiles[file] = diagnostics
            }
        }
    }

    /// The files a path stands for; a path that is neither a file nor a directory is kept, to be reported.
    private func expand(_ path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            return [path]
        }
        let base = path.hasSuffix("/") ? path : path + "/"
        let files = names.sorted().filter { name in
            var nested: ObjCBool = false
            return !name.hasPrefix(".") && (name.hasSuffix(".yml") || name.hasSuffix(".yaml"))
                && FileManager.default.fileExists(atPath: base + name, isDirectory: &nested) && !nested.boolValue
        }
        return files.map { base + $0 }
    }

    /// What reading a playbook file gave.
    enum FileText {
        case text(String)
        case unusable(Diagnostic)
    }

    /// The file's text, or the problem that prevents reading it as a playbook.
    static func readText(_ file: String) -> FileText {
        let start = PlaybookLocation(file: file, line: 1, column: 1)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            return .unusable(Diagnostic(location: start, message: "no such file or directory",
                                       hint: "check the path; directories are searched for *.yml and *.yaml"))
        }
        guard !isDirectory.boolValue else {
            return .unusable(Diagnostic(location: start, message: "cannot read a directory as a playbook"))
        }
        let data: Data
        do {
            // Read at most one byte past the limit: a huge or endless file (a device) is refused, not loaded.
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
            defer { try? handle.close() }
            data = try handle.read(upToCount: YAMLLoader.maximumBytes + 1) ?? Data()
            WorkCounter.add(.playbookBytesRead, by: data.count)
        } catch {
            let reason = FileManager.default.isReadableFile(atPath: file) ? "it could not be read" : "permission denied"
            return .unusable(Diagnostic(location: start, message: "cannot read the file: \(reason)",
                                       hint: "check the file's owner and mode"))
        }
        guard data.count <= YAMLLoader.maximumBytes else {
            return .unusable(Diagnostic(location: start,
                                       message: "the file is larger than 1 MiB; playbooks are limited to 1 MiB and this one was not parsed",
                                       hint: "a playbook describes one secret; this is probably not a playbook"))
        }
        if let text = String(data: data, encoding: .utf8) {
            return .text(text)
        }
        return .unusable(invalidUTF8(data, file: file))
    }

    /// Points at the first byte that is not UTF-8.
    private static func invalidUTF8(_ data: Data, file: String) -> Diagnostic {
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        var (line, column, offset) = (1, 1, 0)
        var badByte: UInt8 = 0
        loop: while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let encoded):
                if encoded.count == 1, encoded.first == UInt8(ascii: "\n") {
                    (line, column) = (line + 1, 1)
                } else {
                    column += 1
                }
                offset += encoded.count
            case .error(let length):
                badByte = data[data.startIndex + offset]
                _ = length
                break loop
            case .emptyInput:
                break loop
            }
        }
        let hex = String(badByte, radix: 16, uppercase: true)
        return Diagnostic(location: PlaybookLocation(file: file, line: line, column: column),
                          message: "the file is not UTF-8 text (byte 0x\(hex.count == 1 ? "0" : "")\(hex) at byte offset \(offset))",
                          hint: "save the playbook as UTF-8; binary files are not playbooks")
    }
}
