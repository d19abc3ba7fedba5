import Yams

/// Reads `stages:`: an ordered list of `{ name, targets, checks, approve }`, the alternative to top-level
/// `targets:`/`checks:`. Targets and checks come back flattened in stage order, each stage a range of them, so the
/// runner's steps keep one index per target and per check.
struct StagesReader {
    let reader: NodeReader
    let catalog: ProviderCatalog

    private var sink: DiagnosticSink { reader.sink }

    static let stageKeys = ["name", "targets", "checks", "approve"]
    /// More stages than anyone stages through; a bound on what one playbook can ask a rotation to wait for.
    static let maxStages = 16

    struct Result {
        var targets: [ProviderConfig]
        var checks: [ProviderConfig]
        var stages: [PlaybookStage]
    }

    /// The stages of `entry`, or nil after reporting what is wrong.
    func read(_ entry: MappingView.Entry) -> Result? {
        guard let items = reader.list(entry.value, for: "stages",
                                      expected: "a list of stages such as - { name: staging, targets: [...] }") else { return nil }
        guard !items.isEmpty else {
            sink.report(entry.value, "'stages' is empty",
                        hint: "list at least one stage with its targets, or use top-level targets: instead")
            return nil
        }
        guard items.count <= Self.maxStages else {
            sink.report(entry.value, "\(items.count) stages is more than the \(Self.maxStages) a playbook may have",
                        hint: "group targets into fewer stages")
            return nil
        }
        let before = sink.count
        var result = Result(targets: [], checks: [], stages: [])
        var names: Set<String> = []
        for (index, item) in items.enumerated() {
            guard let stage = readStage(item, index: index, into: &result) else { continue }
            if !names.insert(stage.name).inserted {
                sink.report(item, "stage name '\(stage.name)' is used twice", hint: "give each stage its own name")
            }
            result.stages.append(stage)
        }
        return sink.count == before ? result : nil
    }

    private func readStage(_ node: Node, index: Int, into result: inout Result) -> PlaybookStage? {
        let key = "stages[\(index)]"
        guard let mapping = reader.mapping(node, for: key, expected: "a mapping with name:, targets: and checks:") else {
            return nil
        }
        reader.checkKeys(mapping, allowed: Self.stageKeys, in: key)
        let before = sink.count
        var name: String?
        if let entry = mapping["name"] {
            name = reader.string(entry.value, for: "\(key).name")
            if let written = name, !Playbook.isValidSecretName(written) {
                sink.report(entry.value, "stage name \(NodeReader.shortQuote(written)) is not allowed",
                            hint: "use 1-63 characters a-z, 0-9, '.', '_' or '-', e.g. staging or production")
            }
        } else {
            reader.missing("name", in: mapping, context: key, hint: "name the stage, e.g. name: staging")
        }
        let approve = mapping["approve"].flatMap { reader.bool($0.value, for: "\(key).approve") } ?? false
        let targets = providers(mapping["targets"], kind: .target, key: "\(key).targets", offset: result.targets.count)
        if let targets, targets.isEmpty {
            sink.report(mapping["targets"]?.value ?? mapping.node,
                        mapping["targets"] == nil ? "missing required key 'targets' in \(key)" : "'\(key).targets' is empty",
                        hint: "a stage writes the new value somewhere: list its targets")
        }
        let checks = providers(mapping["checks"], kind: .check, key: "\(key).checks", offset: result.checks.count)
        guard sink.count == before, let name, let targets, let checks else { return nil }
        let stage = PlaybookStage(name: name, targets: result.targets.count..<(result.targets.count + targets.count),
                                  checks: result.checks.count..<(result.checks.count + checks.count), approve: approve)
        result.targets += targets
        result.checks += checks
        return stage
    }

    /// The providers of a stage's list, indexed globally (`offset` is how many came before in earlier stages).
    private func providers(_ entry: MappingView.Entry?, kind: ProviderKind, key: String, offset: Int) -> [ProviderConfig]? {
        guard let entry, !NodeReader.isNull(entry.value) else { return [] }
        guard let items = reader.list(entry.value, for: key, expected: "a list of \(kind.rawValue)s") else { return nil }
        let reader = ProviderReader(reader: reader, catalog: catalog)
        let configs = items.enumerated().map { index, item in
            reader.read(item, kind: kind, index: offset + index, key: "\(key)[\(index)]").config
        }
        return configs.contains { $0 == nil } ? nil : configs.compactMap { $0 }
    }
}
