/// One configured provider of a playbook (its `source`, one of its `targets` or `checks`), validated against
/// the provider's schema: the typed accessors below return nil only for optional fields that are absent.
public struct ProviderConfig: Sendable, Equatable {
    /// The value of `provider:`.
    public var provider: String
    /// Its role: source, target or check.
    public var kind: ProviderKind
    /// Position in its list (0-based); 0 for the source.
    public var index: Int
    /// A name for messages built from the schema's label fields, e.g. "vercel web-app OPENAI_API_KEY".
    public var label: String
    /// The fields as written, without `provider`.
    public var fields: [String: ConfigValue]
    /// Where the provider's mapping starts.
    public var location: PlaybookLocation

    /// A configured provider; normally made by `PlaybookParser`.
    public init(provider: String, kind: ProviderKind, index: Int, label: String, fields: [String: ConfigValue],
                location: PlaybookLocation) {
        self.provider = provider
        self.kind = kind
        self.index = index
        self.label = label
        self.fields = fields
        self.location = location
    }

    /// The raw value of `name`, if set.
    public func value(_ name: String) -> ConfigValue? {
        fields[name]
    }

    /// A string field (also enumeration, credential reference, URL and JSON pointer fields).
    public func string(_ name: String) -> String? {
        fields[name]?.stringValue
    }

    /// A whole-number field.
    public func int(_ name: String) -> Int? {
        fields[name]?.intValue
    }

    /// A boolean field.
    public func bool(_ name: String) -> Bool? {
        fields[name]?.boolValue
    }

    /// A duration field, parsed.
    public func duration(_ name: String) -> Duration? {
        string(name).flatMap { try? DurationText.parse($0) }
    }

    /// A string list or enumeration list field.
    public func strings(_ name: String) -> [String]? {
        fields[name]?.listValue?.compactMap(\.stringValue)
    }

    /// A string map field, in written order.
    public func stringMap(_ name: String) -> [(name: String, value: String)]? {
        fields[name]?.mapValue?.compactMap { entry in entry.1.stringValue.map { (entry.0, $0) } }
    }
}
