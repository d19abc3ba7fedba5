import Foundation
import RotorCore

/// How the `http` source finds credentials a retried mint may have left behind at a vendor without
/// idempotency keys (OpenAI service accounts): every mint names its credential after the rotation
/// (`name:`, e.g. `rotor-{{secret}}-{{rotation_id}}`), so a credential named for a rotation that is
/// not the one Rotor keeps is a leftover. Used when a rotation's new credential is revoked (rollback)
/// and by maintenance for rotations that are over.
struct Leftovers: Sendable {
    /// The name pattern, with `{{rotation_id}}` exactly once and optionally `{{secret}}`.
    var name: String
    var list: RequestTemplate
    var delete: RequestTemplate
    var items: String
    var itemName: String
    var itemID: String
    /// Pointer to the "more pages" flag; with `cursorParameter`, the next page is asked for with that
    /// query parameter set to the last item's id (OpenAI's `after` / `has_more`).
    var hasMore: String?
    var cursorParameter: String?

    /// The fields of `leftovers:`.
    static let fields: [FieldSpec] = [
        FieldSpec("name", .nonEmptyString, required: true,
                  doc: "the name each mint gives its credential, with {{rotation_id}}, e.g. rotor-{{secret}}-{{rotation_id}}; must appear in the mint body"),
        FieldSpec("list", .object(RequestTemplate.fields), required: true, doc: "the request that lists the vendor's credentials (GET)"),
        FieldSpec("items", .jsonPointer, required: true, doc: "JSON pointer to the list of credentials in the list response, e.g. /data"),
        FieldSpec("item_name", .jsonPointer, doc: "JSON pointer to an item's name, default /name"),
        FieldSpec("item_id", .jsonPointer, doc: "JSON pointer to an item's id, default /id (for {{id}} in delete)"),
        FieldSpec("has_more", .jsonPointer, doc: "JSON pointer to the list response's more-pages flag, e.g. /has_more"),
        FieldSpec("cursor_param", .nonEmptyString, doc: "query parameter that asks for the page after an item id, e.g. after"),
        FieldSpec("delete", .object(RequestTemplate.fields), required: true, doc: "the request that deletes one credential, with {{id}}"),
    ]

    /// The `leftovers:` block of a validated configuration; nil when absent.
    init?(_ value: ConfigValue?) {
        guard let value, value.mapValue != nil else { return nil }
        name = value["name"]?.stringValue ?? ""
        list = RequestTemplate(value["list"], defaultMethod: .GET) ?? RequestTemplate(.map([]), defaultMethod: .GET)!
        delete = RequestTemplate(value["delete"], defaultMethod: .DELETE) ?? RequestTemplate(.map([]), defaultMethod: .DELETE)!
        items = value["items"]?.stringValue ?? ""
        itemName = value["item_name"]?.stringValue ?? "/name"
        itemID = value["item_id"]?.stringValue ?? "/id"
        hasMore = value["has_more"]?.stringValue
        cursorParameter = value["cursor_param"]?.stringValue
    }

    /// The name the mint of `rotationID` gives its credential.
    func name(secret: String, rotationID: String) -> String {
        name.replacingOccurrences(of: "{{secret}}", with: secret).replacingOccurrences(of: "{{rotation_id}}", with: rotationID)
    }

    /// The rotation a credential called `candidate` was minted for, or nil when the name does not follow the pattern.
    func rotationID(in candidate: String, secret: String) -> String? {
        let parts = name.replacingOccurrences(of: "{{secret}}", with: secret).components(separatedBy: "{{rotation_id}}")
        guard parts.count == 2, candidate.count > parts[0].count + parts[1].count,
              candidate.hasPrefix(parts[0]), candidate.hasSuffix(parts[1]) else { return nil }
        let id = candidate.dropFirst(parts[0].count).dropLast(parts[1].count)
        return id.isEmpty ? nil : String(id)
    }

    /// Cross-field rules of the `http` source's `leftovers:` block (run on the whole source config).
    static func problems(_ fields: [String: ConfigValue]) -> [ProviderSchema.Problem] {
        guard let block = fields["leftovers"], let name = block["name"]?.stringValue else { return [] }
        var problems: [ProviderSchema.Problem] = []
        let placeholders = Self.placeholders(in: name)
        if placeholders.filter({ $0 == "rotation_id" }).count != 1 {
            problems.append(("leftovers", "leftovers.name must contain {{rotation_id}} exactly once, so each rotation's credentials carry its id"))
        }
        if let other = placeholders.first(where: { $0 != "rotation_id" && $0 != "secret" }) {
            problems.append(("leftovers", "leftovers.name may use only {{rotation_id}} and {{secret}}, not {{\(other)}}"))
        }
        if !(fields["mint"]?["body"].map { Self.strings(in: $0).contains { $0.contains(name) } } ?? false) {
            problems.append(("leftovers", "the mint body must name the credential \"\(name)\" (leftovers.name), "
                             + "e.g. body: { name: \"\(name)\" }; otherwise leftovers cannot be found"))
        }
        if (block["has_more"] == nil) != (block["cursor_param"] == nil) {
            problems.append(("leftovers", "leftovers.has_more and leftovers.cursor_param go together (e.g. has_more: /has_more, cursor_param: after)"))
        }
        if let url = block["delete"]?["url"]?.stringValue, !Self.placeholders(in: url).contains("id") {
            problems.append(("leftovers", "leftovers.delete.url must use {{id}}, the id of the credential to delete"))
        }
        return problems
    }

    private static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }

    private static func strings(in value: ConfigValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .list(let items): items.flatMap(strings(in:))
        case .map(let entries): entries.flatMap { strings(in: $0.1) }
        case .int, .double, .bool, .null: []
        }
    }
}
