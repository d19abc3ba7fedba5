import Yams

/// Turns playbook text into a Yams node tree, reporting size and syntax problems as diagnostics.
///
/// Yams stops at the first mapping with a duplicate key and points at the FIRST occurrence. To report the
/// duplicate where it really is (the second occurrence) and still validate the rest of the file, the loader
/// renames the first occurrence to a unique placeholder of the same width and composes again; the validator
/// then ignores placeholder keys, so the later value wins as in most YAML loaders.
enum YAMLLoader {
    /// Larger files are refused unparsed: a playbook describes one secret.
    static let maximumBytes = 1 << 20

    /// A composed document.
    struct Document {
        let root: Node
        /// Keys standing in for the first occurrence of a duplicated key; not part of the playbook.
        let placeholders: Set<String>
    }

    /// Each recovery composes the text again, so it is offered only to files of playbook size and a few times.
    private static let maximumRecoveries = 10
    private static let maximumRecoverableBytes = 128 << 10

    static func load(_ text: String, into sink: DiagnosticSink) -> Document? {
        let size = text.utf8.count
        guard size <= maximumBytes else {
            sink.report(at: sink.location(of: nil as Mark?),
                        "the file is \(size) bytes; playbooks are limited to 1 MiB (\(maximumBytes) bytes)",
                        hint: "a playbook describes one secret; this is probably not a playbook")
            return nil
        }
        var working = text
        var recovered: [(key: String, placeholder: String)] = []
        for attempt in 0...maximumRecoveries {
            let root: Node?
            do {
                switch AliasGuard.check(working) {
                case .safe:
                    break
                case .invalid(let error):
                    throw error
                case .tooLarge(let mark):
                    sink.report(at: sink.location(of: mark),
                                "with its aliases expanded, this document has more than \(AliasGuard.maximumNodes) values or \(AliasGuard.maximumDepth) levels",
                                hint: "anchors and aliases are for sharing small pieces of configuration")
                    return nil
                }
                WorkCounter.add(.yamlComposes)
                WorkCounter.add(.yamlComposedBytes, by: working.utf8.count)
                root = try Yams.compose(yaml: working)
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context)
                        where attempt < maximumRecoveries && size <= maximumRecoverableBytes {
                // Yams points at the first occurrence of the alphabetically first duplicated key.
                guard let key = duplicates.sorted().first,
                      let placeholder = placeholder(number: attempt, width: key.unicodeScalars.count),
                      let renamed = rename(key, at: context.mark, to: placeholder, in: working)
                else {
                    report(YamlError.duplicatedKeysInMapping(duplicates: duplicates, context: context), into: sink)
                    return nil
                }
                recovered.append((key, placeholder))
                working = renamed
                continue
            } catch {
                report(error, into: sink)
                return nil
            }
            guard let root else {
                sink.report(nil, "the file is empty", hint: "a playbook is a mapping that starts with 'secret: NAME'")
                return nil
            }
            // A tag asks a loader to build an object of its choosing (`!!python/object:os.system` runs a command
            // in PyYAML's full loader). Rotor builds none, but a file that asks for one is refused, not read as text.
            guard reportUnknownTags(in: root, into: sink) == 0 else { return nil }
            reportDuplicates(recovered, in: root, into: sink)
            return Document(root: root, placeholders: Set(recovered.map(\.placeholder)))
        }
        return nil
    }

    private static func report(_ error: any Error, into sink: DiagnosticSink) {
        // Only libyaml's fixed problem and context strings are quoted: Yams' own descriptions embed the text.
        guard let error = error as? YamlError else {
            sink.report(nil, "the YAML could not be read")
            return
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            if problem.contains("nesting level") {
                sink.report(at: sink.location(of: mark), "the YAML nests deeper than 1000 levels",
                            hint: "a playbook needs only a few levels of nesting")
                return
            }
            if problem == "but found another document" {
                sink.report(at: sink.location(of: mark), "a playbook file holds one YAML document, and a second one starts here",
                            hint: "one secret per file: move it to a file of its own")
                return
            }
            let hint = context.map { "\($0.text) that started at line \($0.mark.line), column \($0.mark.column)" }
            sink.report(at: sink.location(of: mark), "YAML syntax error: \(problem)", hint: hint)
        case let .reader(problem, offset, _, yaml):
            sink.report(at: location(ofCharacter: offset ?? 0, in: yaml, file: sink.file),
                        "the file contains characters YAML does not allow: \(problem)",
                        hint: "a playbook is UTF-8 text without control characters")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            sink.report(at: sink.location(of: context.mark), "duplicate key \(keys) in this mapping",
                        hint: "each key may appear once in a mapping")
        case .memory:
            sink.report(nil, "the YAML parser ran out of memory")
        default:
            sink.report(nil, "the YAML could not be read")
        }
    }

    /// The tags a document may carry, written (`!!str`) or, as every untagged value gets, resolved: YAML's core
    /// types, which Rotor reads as plain values.
    private static let knownTags = Set(([.str, .int, .float, .bool, .null, .map, .seq, .timestamp, .merge, .value] as [Tag.Name])
        .map(\.rawValue))

    /// Reports each node whose tag is not a core YAML type, at the node; returns how many.
    private static func reportUnknownTags(in root: Node, into sink: DiagnosticSink) -> Int {
        var found = 0
        var budget = 100_000
        var stack = [root]
        while let node = stack.popLast(), budget > 0 {
            budget -= 1
            // `Tag.description` is the tag's full name (`tag:yaml.org,2002:str`, `!custom`).
            if !knownTags.contains(node.tag.description) {
                found += 1
                let name = node.tag.description
                let written = name.hasPrefix("tag:yaml.org,2002:") ? "!!" + name.dropFirst("tag:yaml.org,2002:".count) : name
                sink.report(node, "unknown YAML tag '\(written)'",
                            hint: "Rotor reads plain values only; remove the tag (quote the value if it must stay a string)")
            }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping { stack += [value, key] }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence.reversed())
            default:
                break
            }
        }
        return found
    }

    /// Reports every occurrence but the first of each recovered key, naming the first.
    private static func reportDuplicates(_ recovered: [(key: String, placeholder: String)], in root: Node,
                                         into sink: DiagnosticSink) {
        guard !recovered.isEmpty else { return }
        let placeholders = Dictionary(uniqueKeysWithValues: recovered.map { ($0.placeholder, $0.key) })
        var reported = Set<String>()
        var budget = 100_000
        var stack = [root]
        while let node = stack.popLast(), budget > 0 {
            budget -= 1
            switch node {
            case .mapping(let mapping):
                var occurrences: [String: [Node]] = [:]
                for (keyNode, value) in mapping {
                    stack.append(value)
                    guard let name = keyNode.scalar?.string else { continue }
                    if let original = placeholders[name] {
                        occurrences[original, default: []].append(keyNode)
                    } else if recovered.contains(where: { $0.key == name }) {
                        occurrences[name, default: []].append(keyNode)
                    }
                }
                for (key, nodes) in occurrences where nodes.count > 1 {
                    let ordered = nodes.sorted { ($0.mark?.line ?? 0, $0.mark?.column ?? 0) < ($1.mark?.line ?? 0, $1.mark?.column ?? 0) }
                    let first = sink.location(of: ordered[0])
                    for duplicate in ordered.dropFirst() {
                        let here = sink.location(of: duplicate)
                        guard reported.insert(here.description).inserted else { continue }
                        sink.report(at: here, "duplicate key '\(key)' (first at line \(first.line), column \(first.column))",
                                    hint: "each key may appear once in a mapping; remove one")
                    }
                }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence)
            default:
                break
            }
        }
    }

    /// A key made of one private-use character repeated: cannot clash with a real key or another placeholder.
    private static func placeholder(number: Int, width: Int) -> String? {
        guard width > 0, let scalar = Unicode.Scalar(0xE000 + number) else { return nil }
        return String(repeating: String(Character(scalar)), count: width)
    }

    /// `text` with the key scalar at `mark` renamed, if the text there really is `key` written plainly or quoted.
    private static func rename(_ key: String, at mark: Mark, to placeholder: String, in text: String) -> String? {
        var scalars = Array(text.unicodeScalars)
        guard var index = index(of: mark, in: scalars) else { return nil }
        if index < scalars.count, scalars[index] == "\"" || scalars[index] == "'" {
            index += 1
        }
        let keyScalars = Array(key.unicodeScalars)
        guard index + keyScalars.count <= scalars.count,
              Array(scalars[index..<index + keyScalars.count]) == keyScalars else { return nil }
        scalars.replaceSubrange(index..<index + keyScalars.count, with: placeholder.unicodeScalars)
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    /// The scalar index of a libyaml mark (lines broken by LF, CR, CRLF, NEL, LS, PS; columns in scalars).
    private static func index(of mark: Mark, in scalars: [Unicode.Scalar]) -> Int? {
        var line = 1
        var column = 1
        var index = 0
        while index < scalars.count {
            if line == mark.line && column == mark.column { return index }
            let scalar = scalars[index]
            if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" {
                index += 1
            }
            if ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar) {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        return nil
    }

    /// Line and column of the `offset`-th character of `text`.
    private static func location(ofCharacter offset: Int, in text: String, file: String) -> PlaybookLocation {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return PlaybookLocation(file: file, line: line, column: column)
    }
}
