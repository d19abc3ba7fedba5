import Yams

/// Reads one `source`, target or check mapping: picks the schema by `provider:` and validates against it.
struct ProviderReader {
    let reader: NodeReader
    let catalog: ProviderCatalog

    private var sink: DiagnosticSink { reader.sink }

    /// The validated provider (nil if anything is wrong) and the name of its schema when `provider:` names a
    /// known one. `key` names the node for messages: `source`, `targets[2]`.
    func read(_ node: Node, kind: ProviderKind, index: Int, key: String) -> (config: ProviderConfig?, provider: String?) {
        guard let mapping = reader.mapping(node, for: key, expected: "a mapping with 'provider:' and its settings") else {
            return (nil, nil)
        }
        guard let schema = schema(of: mapping, kind: kind, key: key) else { return (nil, nil) }
        return (config(mapping, schema: schema, index: index), schema.name)
    }

    private func schema(of mapping: MappingView, kind: ProviderKind, key: String) -> ProviderSchema? {
        let known = catalog.providerNames(kind)
        let knownList = "known \(kind.rawValue) providers"
        guard let providerEntry = mapping["provider"] else {
            reader.missing("provider", in: mapping, context: key,
                           hint: known.isEmpty ? nil : "\(knownList): " + known.joined(separator: ", "))
            return nil
        }
        guard let provider = reader.string(providerEntry.value, for: "provider") else { return nil }
        guard let schema = catalog.schema(kind, provider) else {
            let elsewhere = ProviderKind.allCases.filter { $0 != kind && catalog.schema($0, provider) != nil }
            let hint = Suggestion.closest(to: provider, among: known).map { "did you mean '\($0)'?" }
                ?? elsewhere.first.map { "'\(provider)' is a \($0.rawValue) provider; \(knownList): \(known.joined(separator: ", "))" }
                ?? Suggestion.hint(for: provider, among: known, listing: knownList)
            sink.report(providerEntry.value, "unknown \(kind.rawValue) provider \(NodeReader.shortQuote(provider))", hint: hint)
            return nil
        }
        return schema
    }

    private func config(_ mapping: MappingView, schema: ProviderSchema, index: Int) -> ProviderConfig? {
        let (provider, kind) = (schema.name, schema.kind)
        let context = "\(provider) \(kind.rawValue)"
        let validator = FieldValidator(reader: reader)
        guard let values = validator.fields(mapping, specs: schema.fields, context: context, ignoring: ["provider"]) else {
            return nil
        }
        let fields = Dictionary(values, uniquingKeysWith: { _, last in last })
        let before = sink.count
        for problem in schema.rules(fields) {
            let at = problem.field.flatMap { mapping[$0]?.value } ?? mapping.node
            let parts = problem.message.components(separatedBy: ProviderSchema.hintSeparator)
            sink.report(at, parts[0], hint: parts.count > 1 ? parts[1] : nil)
        }
        guard sink.count == before else { return nil }
        return ProviderConfig(provider: provider, kind: kind, index: index,
                              label: label(provider: provider, fields: fields, schema: schema),
                              fields: fields, location: sink.location(of: mapping.node))
    }

    private func label(provider: String, fields: [String: ConfigValue], schema: ProviderSchema) -> String {
        let parts = schema.labelFields.compactMap { name -> String? in
            switch fields[name] {
            case .string(let text)?: return text
            case .int(let number)?: return String(number)
            case .list(let items)?: return items.compactMap(\.stringValue).joined(separator: ",")
            default: return nil
            }
        }
        return ([provider] + parts).joined(separator: " ")
    }
}
