/// One variable in the body of `POST /v10/projects/{p}/env` or `PATCH /v9/projects/{p}/env/{id}`,
/// checked the way Vercel's request validation does: a wrong shape fails the whole request with 400
/// `bad_request`; a rule broken by one variable (sensitive for development, a branch outside preview)
/// is reported for that variable.
struct VercelEnvInput: Sendable {
    var key: String?
    var value: String?
    var type: VercelEnvVar.Kind?
    var target: [String]?
    /// `.some(nil)` when the body says `"gitBranch": null`.
    var gitBranch: String??
    var comment: String?

    private static let fields: Set<String> = ["key", "value", "type", "target", "gitBranch", "comment", "customEnvironmentIds"]

    /// Reads one variable; on create every field but `gitBranch` and `comment` is required.
    static func parse(_ json: JSONValue, creating: Bool) throws(APIFailure) -> VercelEnvInput {
        guard case .object = json else { throw invalid("each environment variable should be an object") }
        if let unknown = json.keys.first(where: { !fields.contains($0) }) {
            throw invalid("should NOT have additional property `\(unknown)`")
        }
        var input = VercelEnvInput()
        if let key = json["key"] {
            guard let text = key.stringValue, !text.isEmpty else { throw invalid("`key` should be a non-empty string") }
            input.key = text
        }
        if let value = json["value"] {
            guard let text = value.stringValue else { throw invalid("`value` should be string") }
            input.value = text
        }
        if let type = json["type"] {
            guard let text = type.stringValue else { throw invalid("`type` should be string") }
            guard let kind = VercelEnvVar.Kind(rawValue: text) else {
                throw invalid("`type` should be equal to one of the allowed values \"plain\", \"encrypted\", \"sensitive\"")
            }
            input.type = kind
        }
        if let target = json["target"] {
            guard let items = target.arrayValue, !items.isEmpty else { throw invalid("`target` should be a non-empty array") }
            var targets: [String] = []
            for item in items {
                guard let text = item.stringValue, VercelEnvVar.targets.contains(text) else {
                    throw invalid("`target` items should be equal to one of the allowed values \"production\", \"preview\", \"development\"")
                }
                guard !targets.contains(text) else { throw invalid("`target` should NOT have duplicate items") }
                targets.append(text)
            }
            input.target = targets
        }
        if let branch = json["gitBranch"] {
            if branch.isNull {
                input.gitBranch = .some(nil)
            } else if let text = branch.stringValue, !text.isEmpty {
                input.gitBranch = .some(text)
            } else {
                throw invalid("`gitBranch` should be a non-empty string or null")
            }
        }
        if let comment = json["comment"] {
            guard let text = comment.stringValue, text.count <= 500 else {
                throw invalid("`comment` should be a string of at most 500 characters")
            }
            input.comment = text
        }
        if let ids = json["customEnvironmentIds"], ids.arrayValue?.isEmpty != true {
            throw invalid("`customEnvironmentIds`: the sandbox has no custom environments")
        }
        if creating {
            for (name, present) in [("key", input.key != nil), ("value", input.value != nil), ("type", input.type != nil),
                                    ("target", input.target != nil)] where !present {
                throw invalid("missing required property `\(name)`")
            }
        }
        return input
    }

    /// The first Vercel rule a variable with these settings breaks, or nil.
    static func ruleViolation(key: String, type: VercelEnvVar.Kind, target: [String], gitBranch: String?) -> String? {
        if !WorldValidator.isVariableName(key) {
            return "The name of an Environment Variable can only contain letters, digits and underscores and cannot start with a digit."
        }
        if type == .sensitive && target.contains("development") {
            return "Sensitive Environment Variables cannot be created in the Development environment."
        }
        if gitBranch != nil && target != ["preview"] {
            return "A Git branch can only be set on an Environment Variable that targets only Preview."
        }
        return nil
    }

    private static func invalid(_ detail: String) -> APIFailure {
        .vercel(400, "bad_request", "Invalid request: \(detail).")
    }
}
