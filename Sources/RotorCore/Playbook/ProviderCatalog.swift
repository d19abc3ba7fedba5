/// The providers a parser knows, by kind and name.
public struct ProviderCatalog: Sendable {
    private var schemas: [ProviderKind: [String: ProviderSchema]] = [:]

    /// A catalog of `schemas`; a later schema with the same kind and name replaces an earlier one.
    public init(_ schemas: [ProviderSchema]) {
        for schema in schemas {
            self.schemas[schema.kind, default: [:]][schema.name] = schema
        }
    }

    /// The schema for `provider: name` in the role `kind`.
    public func schema(_ kind: ProviderKind, _ name: String) -> ProviderSchema? {
        schemas[kind]?[name]
    }

    /// The provider names known for `kind`, sorted.
    public func providerNames(_ kind: ProviderKind) -> [String] {
        (schemas[kind]?.keys).map { $0.sorted() } ?? []
    }
}
