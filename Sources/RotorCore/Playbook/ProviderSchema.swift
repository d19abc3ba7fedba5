/// What one provider accepts in a playbook, as data: concrete providers register one of these, and the
/// parser validates against it without knowing the provider.
public struct ProviderSchema: Sendable {
    /// A problem a cross-field rule found: the field at fault (nil for the provider as a whole) and a message.
    /// A message may end with `hintSeparator` and a hint, shown as the diagnostic's hint.
    public typealias Problem = (field: String?, message: String)

    /// Separates a rule's message from its hint.
    public static let hintSeparator = " || hint: "

    /// The role the provider plays.
    public var kind: ProviderKind
    /// The value of `provider:` that selects this schema.
    public var name: String
    /// Every field the provider accepts besides `provider`; any other key is an error.
    public var fields: [FieldSpec]
    /// Fields whose values name a configured provider in messages, e.g. `["project", "key"]` gives
    /// "vercel web-app OPENAI_API_KEY".
    public var labelFields: [String]
    /// Rules across fields (e.g. exactly one of `service` / `env_group`). Runs only when every field has a
    /// valid type, so it can use the typed accessors freely.
    public var rules: @Sendable ([String: ConfigValue]) -> [Problem]

    /// A schema; `rules` defaults to none.
    public init(kind: ProviderKind, name: String, fields: [FieldSpec], labelFields: [String] = [],
                rules: @escaping @Sendable ([String: ConfigValue]) -> [Problem] = { _ in [] }) {
        self.kind = kind
        self.name = name
        self.fields = fields
        self.labelFields = labelFields
        self.rules = rules
    }

    /// The spec of the field called `name`.
    public func field(_ name: String) -> FieldSpec? {
        fields.first { $0.name == name }
    }
}
