import Foundation

/// Parses and validates playbooks. Reports every problem it can find, each at the position of the YAML
/// node at fault, rather than stopping at the first.
///
/// ```swift
/// let parser = PlaybookParser(catalog: catalog, knownChannels: ["security-slack"])
/// let (playbook, problems) = parser.parse(file: "Playbooks/openai.yml", text: yaml)
/// problems.forEach { print($0) }   // Playbooks/openai.yml:7:3: error: unknown key 'gracee' ... (did you mean 'grace'?)
/// ```
public struct PlaybookParser: Sendable {
    /// The providers `source`, `targets` and `checks` may name.
    public let catalog: ProviderCatalog
    /// Channel names `notify:` may use; nil skips the check.
    public let knownChannels: Set<String>?
    /// The instant cron expressions are checked from (whether they fire, how far apart their firings are).
    public let now: Date

    /// A parser for the providers in `catalog`; `knownChannels` nil skips the check of `notify:` names.
    public init(catalog: ProviderCatalog, knownChannels: Set<String>? = nil, now: Date = Date()) {
        self.catalog = catalog
        self.knownChannels = knownChannels
        self.now = now
    }

    /// Parses one playbook. Returns the playbook only when there are no diagnostics.
    public func parse(file: String, text: String) -> (Playbook?, [Diagnostic]) {
        let result = parseDetailed(file: file, text: text)
        return (result.playbook, result.diagnostics)
    }

    /// `parse` plus where the secret's name is written, for duplicate-name reports across files.
    func parseDetailed(file: String, text: String) -> (playbook: Playbook?, diagnostics: [Diagnostic], secretAt: PlaybookLocation?) {
        let sink = DiagnosticSink(file: file)
        guard let document = YAMLLoader.load(text, into: sink) else {
            return (nil, sink.sorted, nil)
        }
        let reader = PlaybookReader(reader: NodeReader(sink: sink, placeholders: document.placeholders),
                                    catalog: catalog, knownChannels: knownChannels, now: now)
        let playbook = reader.read(document.root, file: file)
        return (sink.isEmpty ? playbook : nil, sink.sorted, reader.secretLocation(in: document.root))
    }
}
