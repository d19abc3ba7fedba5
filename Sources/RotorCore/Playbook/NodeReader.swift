import Yams

/// Reads typed values out of YAML nodes, reporting every problem to a sink at the offending node.
/// Each reader returns nil after reporting, so callers simply carry on with the next field.
struct NodeReader {
    let sink: DiagnosticSink
    /// Keys of recovered duplicates, to be ignored (see `YAMLLoader`).
    let placeholders: Set<String>

    // MARK: Describing nodes

    /// How a node is named in "got …": "a string", "a list", "a mapping", "a number", "a boolean", "null".
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            switch node.resolvedTag {
            case .null: return "null"
            case .bool: return "a boolean"
            case .int: return "a whole number"
            case .float: return "a number"
            default: return "a string"
            }
        }
    }

    func wrongType(_ node: Node, expected: String, for key: String) {
        guard !sink.isFull else { return }
        var hint: String?
        if case .scalar = node, node.resolvedTag == .bool || node.resolvedTag == .null, expected.contains("string") {
            hint = "quote it to make it a string: \"\(node.scalar?.string ?? "")\""
        }
        // Keys are quoted; descriptions such as "the playbook" are not.
        let subject = key.contains(" ") ? key : "'\(key)'"
        sink.report(node, "expected \(expected) for \(subject), got \(Self.describe(node))", hint: hint)
    }

    // MARK: Mappings

    /// The mapping in `node`, with merge keys expanded; reports and returns nil if `node` is not a mapping.
    func mapping(_ node: Node, for key: String, expected: String = "a mapping") -> MappingView? {
        guard case .mapping = node else {
            wrongType(node, expected: expected, for: key)
            return nil
        }
        return MappingView(node: node, entries: entries(of: node, depth: 0))
    }

    private func entries(of node: Node, depth: Int) -> [MappingView.Entry] {
        guard case .mapping(let mapping) = node else { return [] }
        var explicit: [MappingView.Entry] = []
        var merged: [MappingView.Entry] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                sink.report(keyNode, "keys must be plain names, got \(Self.describe(keyNode)) as a key")
                continue
            }
            if placeholders.contains(scalar.string) { continue }
            if scalar.string == "<<", keyNode.resolvedTag == .merge {
                merged += mergedEntries(value, depth: depth)
                continue
            }
            explicit.append(MappingView.Entry(key: scalar.string, keyNode: keyNode, value: value))
        }
        // Merged keys never override keys written in the mapping, and the first merged source wins.
        var seen = Set(explicit.map(\.key))
        return explicit + merged.filter { seen.insert($0.key).inserted }
    }

    private func mergedEntries(_ value: Node, depth: Int) -> [MappingView.Entry] {
        guard depth < 16 else {
            sink.report(value, "merge keys (<<) nest too deeply")
            return []
        }
        switch value {
        case .mapping:
            return entries(of: value, depth: depth + 1)
        case .sequence(let sources) where sources.allSatisfy({ if case .mapping = $0 { true } else { false } }):
            return sources.flatMap { entries(of: $0, depth: depth + 1) }
        default:
            sink.report(value, "a merge key (<<) needs a mapping or a list of mappings, got \(Self.describe(value))")
            return []
        }
    }

    /// Reports each key not in `allowed`, with a did-you-mean or the list of allowed keys.
    func checkKeys(_ mapping: MappingView, allowed: [String], in context: String) {
        for entry in mapping.entries where !allowed.contains(entry.key) {
            sink.report(entry.keyNode, "unknown key '\(entry.key)' in \(context)",
                        hint: Suggestion.hint(for: entry.key, among: allowed, listing: "allowed keys"))
        }
    }

    /// Reports a missing required key at the mapping that lacks it.
    func missing(_ key: String, in mapping: MappingView, context: String, hint: String? = nil) {
        sink.report(mapping.node, "missing required key '\(key)' in \(context)", hint: hint)
    }

    // MARK: Scalars

    /// Text of a scalar: strings as written, numbers and dates as written (a project id `12345` is text).
    /// Booleans and null are refused: `owner: no` is almost never meant as the string "no".
    func string(_ node: Node, for key: String) -> String? {
        guard case .scalar(let scalar) = node, node.resolvedTag != .bool, node.resolvedTag != .null else {
            wrongType(node, expected: "a string", for: key)
            return nil
        }
        return scalar.string
    }

    func int(_ node: Node, for key: String) -> Int? {
        guard case .scalar(let scalar) = node, node.resolvedTag == .int else {
            wrongType(node, expected: "a whole number", for: key)
            return nil
        }
        guard let value = Int(scalar.string.replacingOccurrences(of: "_", with: "")) ?? node.int else {
            sink.report(node, "'\(key)' is not a whole number Rotor can use", hint: "write it in decimal digits")
            return nil
        }
        return value
    }

    func bool(_ node: Node, for key: String) -> Bool? {
        guard case .scalar(let scalar) = node, node.resolvedTag == .bool else {
            wrongType(node, expected: "true or false", for: key)
            return nil
        }
        switch scalar.string.lowercased() {
        case "true": return true
        case "false": return false
        default:
            sink.report(node, "write true or false for '\(key)', not '\(scalar.string)'")
            return nil
        }
    }

    /// A duration; with `positive`, 0s is refused too.
    func duration(_ node: Node, for key: String, positive: Bool = false) -> Duration? {
        guard case .scalar(let scalar) = node, node.resolvedTag != .null, node.resolvedTag != .bool else {
            wrongType(node, expected: "a duration (\(DurationText.forms))", for: key)
            return nil
        }
        do {
            let duration = try DurationText.parse(scalar.string)
            if positive && duration <= .zero {
                sink.report(node, "'\(key)' must be longer than 0s")
                return nil
            }
            return duration
        } catch {
            sink.report(node, "\(Self.shortQuote(scalar.string)) is not a duration for '\(key)'", hint: error.reason)
            return nil
        }
    }

    /// The items of a list; reports and returns nil when `node` is not a list.
    func list(_ node: Node, for key: String, expected: String = "a list") -> [Node]? {
        guard case .sequence(let sequence) = node else {
            wrongType(node, expected: expected, for: key)
            return nil
        }
        return Array(sequence)
    }

    /// (line, column) of a node, for ordering.
    static func position(of node: Node) -> (Int, Int) {
        (node.mark?.line ?? 0, node.mark?.column ?? 0)
    }

    /// Whether the node is an explicit `null` (`key:` with nothing after it, or `~`).
    static func isNull(_ node: Node) -> Bool {
        if case .scalar = node { return node.resolvedTag == .null }
        return false
    }

    /// A value quoted for a message, cut short: messages quote only names, words and durations, and even
    /// those are kept brief so a value pasted into the wrong field is not echoed at length.
    static func shortQuote(_ text: String) -> String {
        let cut = text.count > 40 ? String(text.prefix(37)) + "..." : text
        return "'\(cut)'"
    }
}

extension Node {
    /// The resolved YAML tag (`Tag.name` is internal to Yams; its raw value is public).
    var resolvedTag: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
