import Foundation
import Yams

/// Checks provider field values against their `FieldType` and turns them into `ConfigValue`s.
///
/// Messages never quote the value of a credential, URL, header or JSON field: a secret pasted into the
/// wrong place must not end up in a terminal or a CI log.
struct FieldValidator {
    let reader: NodeReader

    private var sink: DiagnosticSink { reader.sink }

    /// Nodes a single JSON value may expand to (aliases can make a small file describe a huge tree).
    static let jsonNodeBudget = 10_000
    static let jsonDepthLimit = 64

    /// Validates every entry of `mapping` against `specs` (unknown keys, types, required keys) and returns
    /// the values in written order, or nil if anything was wrong. `ignoring` names keys handled elsewhere.
    func fields(_ mapping: MappingView, specs: [FieldSpec], context: String, ignoring: Set<String> = [])
        -> [(String, ConfigValue)]? {
        let before = sink.count
        var values: [(String, ConfigValue)] = []
        let allowed = Array(ignoring).sorted() + specs.map(\.name)
        for entry in mapping.entries where !ignoring.contains(entry.key) {
            guard let spec = specs.first(where: { $0.name == entry.key }) else {
                sink.report(entry.keyNode, "unknown key '\(entry.key)' in \(context)",
                            hint: Suggestion.hint(for: entry.key, among: allowed, listing: "allowed keys"))
                continue
            }
            if NodeReader.isNull(entry.value) && !spec.required && spec.type != .json { continue }
            if let value = value(entry.value, as: spec.type, key: entry.key, context: context) {
                values.append((entry.key, value))
            }
        }
        for spec in specs where spec.required && mapping[spec.name] == nil {
            reader.missing(spec.name, in: mapping, context: context, hint: spec.doc.isEmpty ? nil : spec.doc)
        }
        return sink.count == before ? values : nil
    }

    func value(_ node: Node, as type: FieldType, key: String, context: String) -> ConfigValue? {
        switch type {
        case .string:
            return reader.string(node, for: key).map(ConfigValue.string)
        case .nonEmptyString:
            guard let text = reader.string(node, for: key) else { return nil }
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                sink.report(node, "'\(key)' must not be empty")
                return nil
            }
            return .string(text)
        case .int(let range):
            guard let number = reader.int(node, for: key) else { return nil }
            if let range, !range.contains(number) {
                sink.report(node, "'\(key)' must be from \(range.lowerBound) to \(range.upperBound), got \(number)")
                return nil
            }
            return .int(number)
        case .bool:
            return reader.bool(node, for: key).map(ConfigValue.bool)
        case .duration:
            return reader.duration(node, for: key).map { _ in .string(node.scalar?.string ?? "") }
        case .stringList:
            guard let items = reader.list(node, for: key, expected: type.expectation) else { return nil }
            let strings = items.map { reader.string($0, for: key) }
            return strings.contains(nil) ? nil : .list(strings.compactMap { $0.map(ConfigValue.string) })
        case .enumeration(let words):
            return word(node, among: words, key: key).map(ConfigValue.string)
        case .enumList(let words):
            guard let items = reader.list(node, for: key, expected: type.expectation) else { return nil }
            var chosen: [String] = []
            var failed = false
            for item in items {
                guard let word = word(item, among: words, key: key) else { failed = true; continue }
                if chosen.contains(word) {
                    sink.report(item, "'\(word)' is listed twice in '\(key)'")
                    failed = true
                }
                chosen.append(word)
            }
            return failed ? nil : .list(chosen.map(ConfigValue.string))
        case .stringMap:
            guard let mapping = reader.mapping(node, for: key, expected: type.expectation) else { return nil }
            let entries = mapping.entries.map { entry in reader.string(entry.value, for: "\(key).\(entry.key)").map { (entry.key, ConfigValue.string($0)) } }
            return entries.contains { $0 == nil } ? nil : .map(entries.compactMap { $0 })
        case .json:
            var budget = Self.jsonNodeBudget
            return json(node, key: key, depth: 0, budget: &budget)
        case .credentialRef:
            return credentialRef(node, key: key).map(ConfigValue.string)
        case .environment:
            return environment(node, key: key)
        case .url:
            return url(node, key: key).map(ConfigValue.string)
        case .jsonPointer:
            guard let text = reader.string(node, for: key) else { return nil }
            guard Self.isJSONPointer(text) else {
                sink.report(node, "'\(key)' must be a JSON pointer such as /data/key (or \"\" for the whole document)",
                            hint: "a pointer starts with '/', and '~' is written ~0 and '/' inside a name ~1")
                return nil
            }
            return .string(text)
        case .object(let specs):
            guard let mapping = reader.mapping(node, for: key) else { return nil }
            return fields(mapping, specs: specs, context: "'\(key)' of \(context)").map(ConfigValue.map)
        }
    }

    private func word(_ node: Node, among words: [String], key: String) -> String? {
        guard let text = reader.string(node, for: key) else { return nil }
        guard words.contains(text) else {
            sink.report(node, "\(NodeReader.shortQuote(text)) is not one of \(words.joined(separator: ", ")) for '\(key)'",
                        hint: Suggestion.closest(to: text, among: words).map { "did you mean '\($0)'?" })
            return nil
        }
        return text
    }

    private func credentialRef(_ node: Node, key: String) -> String? {
        guard let text = reader.string(node, for: key) else { return nil }
        let forms = "env:NAME, file:PATH or secret:NAME"
        let (scheme, rest) = text.firstIndex(of: ":").map { (text[..<$0], text[text.index(after: $0)...]) } ?? (Substring(text), "")
        let problem: String?
        switch scheme {
        case "env":
            problem = Self.isEnvironmentName(rest) ? nil : "env: needs a variable name such as env:VERCEL_TOKEN"
        case "file":
            problem = rest.isEmpty ? "file: needs a path such as file:/run/secrets/vercel-token" : nil
        case "secret":
            problem = Playbook.isValidSecretName(String(rest)) ? nil : "secret: needs the name of a secret Rotor manages"
        default:
            problem = "never write the credential itself into a playbook; point to where it is kept"
        }
        guard let problem else { return text }
        sink.report(node, "'\(key)' must be a credential reference (\(forms))", hint: problem)
        return nil
    }

    /// Each name must be a variable name and each value a credential reference; never one of Rotor's own.
    private func environment(_ node: Node, key: String) -> ConfigValue? {
        guard let mapping = reader.mapping(node, for: key, expected: FieldType.environment.expectation) else { return nil }
        let before = sink.count
        var entries: [(String, ConfigValue)] = []
        for entry in mapping.entries {
            guard Self.isEnvironmentName(Substring(entry.key)) else {
                sink.report(entry.keyNode, "\(NodeReader.shortQuote(entry.key)) in '\(key)' is not an environment variable name",
                            hint: "letters, digits and _, not starting with a digit, e.g. GITHUB_APP_KEY")
                continue
            }
            guard let reference = credentialRef(entry.value, key: "\(key).\(entry.key)") else { continue }
            guard !reference.hasPrefix("env:ROTOR_") else {
                sink.report(entry.value, "'\(key).\(entry.key)' must not pass Rotor's own \(reference) to a command",
                            hint: "Rotor's settings and credentials (ROTOR_*) never reach a command; export the value under another name")
                continue
            }
            entries.append((entry.key, .string(reference)))
        }
        return sink.count == before ? .map(entries) : nil
    }

    private func url(_ node: Node, key: String) -> String? {
        guard let text = reader.string(node, for: key) else { return nil }
        // Placeholders such as {{value}} are filled in at run time; check the URL around them.
        let concrete = text.replacingOccurrences(of: #"\{\{[^}]*\}\}"#, with: "x", options: .regularExpression)
        guard let components = URLComponents(string: concrete),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty else {
            sink.report(node, "'\(key)' must be an absolute http or https URL",
                        hint: "for example https://api.example.com/health")
            return nil
        }
        return text
    }

    private func json(_ node: Node, key: String, depth: Int, budget: inout Int) -> ConfigValue? {
        budget -= 1
        guard budget >= 0, depth <= Self.jsonDepthLimit else {
            if budget == -1 || depth == Self.jsonDepthLimit + 1 {
                sink.report(node, "'\(key)' is too large or nested too deeply (at most \(Self.jsonNodeBudget) values, \(Self.jsonDepthLimit) levels)",
                            hint: "aliases count once per use")
            }
            return nil
        }
        switch node {
        case .scalar(let scalar):
            switch node.resolvedTag {
            case .null: return .null
            case .bool: return node.bool.map(ConfigValue.bool) ?? .string(scalar.string)
            case .int: return node.int.map(ConfigValue.int) ?? .string(scalar.string)
            case .float: return node.float.map(ConfigValue.double) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var items: [ConfigValue] = []
            for item in sequence {
                guard let value = json(item, key: key, depth: depth + 1, budget: &budget) else { return nil }
                items.append(value)
            }
            return .list(items)
        case .mapping:
            guard let mapping = reader.mapping(node, for: key) else { return nil }
            var entries: [(String, ConfigValue)] = []
            for entry in mapping.entries {
                guard let value = json(entry.value, key: key, depth: depth + 1, budget: &budget) else { return nil }
                entries.append((entry.key, value))
            }
            return .map(entries)
        case .alias:
            sink.report(node, "'\(key)' uses an alias that could not be resolved")
            return nil
        }
    }

    static func isEnvironmentName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    static func isJSONPointer(_ text: String) -> Bool {
        if text.isEmpty { return true }
        guard text.hasPrefix("/") else { return false }
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() where scalar == "~" {
            guard index + 1 < scalars.count, scalars[index + 1] == "0" || scalars[index + 1] == "1" else { return false }
        }
        return true
    }
}
