import RotorCore

/// Schema rules that check every `{{name}}` of the http provider's templates against what will exist at
/// that step, so `rotor validate` catches a `{{handle}}` in mint (there is no handle before a key exists)
/// instead of the first rotation failing.
enum PlaceholderRules {
    /// The `http` source: mint may use `{{secret}}`, `{{idempotency_key}}`, `{{rotation_id}}` and `{{token}}` (when `token` is
    /// set); revoke may also use `{{value}}`, and `{{handle}}` when a `handle` pointer stores one.
    static func source(_ fields: [String: ConfigValue]) -> [ProviderSchema.Problem] {
        var common: Set<String> = ["secret", "idempotency_key", "rotation_id"]
        if fields["token"] != nil { common.insert("token") }
        var problems = check(fields["mint"], in: "mint", allowed: common) { name in
            switch name {
            case "handle": "{{handle}} does not exist in mint: the vendor's id for a key is known only once it is minted; use it in revoke"
            case "value": "{{value}} does not exist in mint: the new value is what mint returns"
            case "token": "{{token}} needs `token:` (e.g. token: env:VENDOR_ADMIN_TOKEN)"
            default: nil
            }
        }
        var revokable = common.union(["value"])
        if fields["handle"] != nil { revokable.insert("handle") }
        problems += check(fields["revoke"], in: "revoke", allowed: revokable) { name in
            switch name {
            case "handle": "{{handle}} needs `handle:`, a JSON pointer to the key's id in the mint response (e.g. handle: /id)"
            case "token": "{{token}} needs `token:` (e.g. token: env:VENDOR_ADMIN_TOKEN)"
            default: nil
            }
        }
        return problems
    }

    /// The `http` check: header values may use `{{value}}` (the value being checked); the URL fills in nothing.
    static func check(_ fields: [String: ConfigValue]) -> [ProviderSchema.Problem] {
        var problems: [ProviderSchema.Problem] = []
        if let url = fields["url"]?.stringValue, let name = names(in: url).first {
            problems.append((field: "url", message: "url uses {{\(name)}}, but placeholders are filled in only in header values"))
        }
        for (header, value) in fields["headers"]?.mapValue ?? [] {
            for name in names(in: value.stringValue ?? "") where name != "value" {
                problems.append((field: "headers", message: "header \(header) uses {{\(name)}}; a check knows only {{value}}"))
            }
        }
        return problems
    }

    /// Whether the revoke request of a source config needs the key's handle.
    static func revokeUsesHandle(_ revoke: ConfigValue?) -> Bool {
        strings(in: revoke).contains { names(in: $0).contains("handle") }
    }

    private static func check(_ template: ConfigValue?, in action: String, allowed: Set<String>,
                              reason: (String) -> String?) -> [ProviderSchema.Problem] {
        var seen: Set<String> = []
        var problems: [ProviderSchema.Problem] = []
        for text in strings(in: template) {
            for name in names(in: text) where !allowed.contains(name) && seen.insert(name).inserted {
                let known = allowed.sorted().map { "{{\($0)}}" }.joined(separator: ", ")
                problems.append((field: action, message: "\(action) uses {{\(name)}}: "
                                 + (reason(name) ?? "unknown placeholder; \(action) knows \(known)")))
            }
        }
        return problems
    }

    /// Every string a template fills in: url, header values and the body's string values.
    private static func strings(in template: ConfigValue?) -> [String] {
        guard let template else { return [] }
        var out: [String] = []
        if let url = template["url"]?.stringValue { out.append(url) }
        for (_, value) in template["headers"]?.mapValue ?? [] { if let text = value.stringValue { out.append(text) } }
        func walk(_ value: ConfigValue?) {
            switch value {
            case .string(let text)?: out.append(text)
            case .list(let items)?: items.forEach(walk)
            case .map(let entries)?: entries.forEach { walk($0.1) }
            default: break
            }
        }
        walk(template["body"])
        return out
    }

    /// The placeholder names in `text`, in order.
    static func names(in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            found.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return found
    }
}
