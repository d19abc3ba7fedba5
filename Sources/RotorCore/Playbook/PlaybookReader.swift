import Foundation
import Yams

/// Walks a composed playbook document, validates every part, and builds the `Playbook` when nothing is wrong.
struct PlaybookReader {
    let reader: NodeReader
    let catalog: ProviderCatalog
    let knownChannels: Set<String>?
    /// The reference instant for cron checks (whether it fires, how far apart its firings are).
    let now: Date

    private var sink: DiagnosticSink { reader.sink }

    static let topLevelKeys = ["secret", "description", "owner", "schedule", "policy", "grace", "emergency_grace",
                               "source", "targets", "checks", "stages", "notify", "notify_on"]
    static let scheduleKeys = ["every", "cron", "warn_before", "window", "timezone"]
    static let policyKeys = ["max_age", "max_skips", "skip_for", "revoke_when_unused", "max_grace", "max_attempts_per_day",
                             "step_timeout", "retention", "pass_budget"]
    /// Policy keys that only the customer key table reads.
    static let keyTablePolicyKeys = ["retention", "pass_budget"]

    private static let day: Duration = .seconds(86_400)
    private static let hour: Duration = .seconds(3_600)

    /// What the schedule section gave, with the nodes later cross-checks report at.
    private struct ScheduleDraft {
        var spec: ScheduleSpec
        var ruleNode: Node
        /// The warnings as written, each with its node; nil when warn_before was not written.
        var writtenWarnings: [(duration: Duration, node: Node)]?
    }

    /// The secret's `secret:` value position, for duplicate-name reports across files.
    func secretLocation(in root: Node) -> PlaybookLocation? {
        guard case .mapping(let mapping) = root else { return nil }
        return mapping.first { $0.key.scalar?.string == "secret" }.map { sink.location(of: $0.value) }
    }

    func read(_ root: Node, file: String) -> Playbook? {
        guard let top = reader.mapping(root, for: "the playbook",
                                       expected: "a mapping with keys such as secret:, source: and targets:") else {
            return nil
        }
        // `x-` keys are free for the user, e.g. to hold anchors (`x-defaults: &vercel {...}`), as in Compose files.
        reader.checkKeys(MappingView(node: top.node, entries: top.entries.filter { !$0.key.hasPrefix("x-") }),
                         allowed: Self.topLevelKeys, in: "the playbook")

        let secret = readSecret(top)
        let description = top["description"].flatMap { optional($0.value) }.flatMap { reader.string($0, for: "description") }
        let owner = top["owner"].flatMap { optional($0.value) }.flatMap { reader.string($0, for: "owner") }
        let schedule = top["schedule"].flatMap { optional($0.value) }.flatMap(readSchedule)
        let policyEntries = top["policy"].flatMap { optional($0.value) }.flatMap { reader.mapping($0, for: "policy") }
        let policy = readPolicy(policyEntries)

        let providers = ProviderReader(reader: reader, catalog: catalog)
        var source: ProviderConfig?
        // The source's provider decides defaults and whether targets may be empty, even when its fields are wrong;
        // when the provider itself is unknown (a misspelt key-table?) nothing is assumed.
        var sourceProvider: String?
        if let entry = top["source"] {
            (source, sourceProvider) = providers.read(entry.value, kind: .source, index: 0, key: "source")
        } else {
            reader.missing("source", in: top, context: "the playbook",
                           hint: "known source providers: " + catalog.providerNames(.source).joined(separator: ", "))
        }
        let isKeyTable = sourceProvider == Playbook.keyTableProvider
        if sourceProvider != nil, !isKeyTable, let policyEntries {
            for key in Self.keyTablePolicyKeys {
                guard let node = policyEntries[key]?.keyNode else { continue }
                sink.report(node, "policy.\(key) applies only to the customer key table",
                            hint: "set it in the playbook whose source is { provider: key-table }, or remove it here")
            }
        }

        let staged = top["stages"].map { readStages($0, top: top, isKeyTable: isKeyTable) }
        let targets = staged.map { $0.map { (configs: $0.targets, nodes: [Node]()) } } ?? readProviders(top["targets"], kind: .target, key: "targets")
        if staged == nil, sourceProvider != nil, !isKeyTable, let targets, targets.nodes.isEmpty {
            let at = top["targets"].map { $0.value } ?? top.node
            sink.report(at, top["targets"] == nil ? "missing required key 'targets' in the playbook" : "'targets' is empty",
                        hint: "list where the new value goes; only a key-table source may have no targets")
        }
        let checks = staged.map { $0.map { (configs: $0.checks, nodes: [Node]()) } } ?? readProviders(top["checks"], kind: .check, key: "checks")
        let notify = readNotify(top["notify"])
        let notifyOn = readNotifyOn(top["notify_on"])

        let graceEntry = top["grace"].flatMap { optional($0.value) }
        let grace = graceEntry.map { reader.duration($0, for: "grace") }
            ?? (isKeyTable ? Self.hour * 72 : Self.hour * 24)
        let emergencyEntry = top["emergency_grace"].flatMap { optional($0.value) }
        let emergencyGrace = emergencyEntry.map { reader.duration($0, for: "emergency_grace") } ?? Self.hour * 4

        if let schedule, let grace {
            crossCheck(schedule, grace: grace, graceNode: graceEntry)
        }
        if let grace, let policy, let maxGrace = policy.maxGrace, maxGrace < grace,
           let node = policyEntries?["max_grace"]?.value {
            sink.report(node, "policy.max_grace \(DurationText.format(maxGrace)) is shorter than grace \(DurationText.format(grace))",
                        hint: "max_grace is how far a grace period may be extended; make it at least the grace")
        }

        guard sink.isEmpty, let secret, let policy, let source, let grace, let emergencyGrace,
              let targets, let checks, let notify, let notifyOn
        else { return nil }
        return Playbook(file: file, secret: secret, description: description, owner: owner, schedule: schedule?.spec,
                        policy: policy, grace: grace, emergencyGrace: emergencyGrace, source: source,
                        targets: targets.configs, checks: checks.configs, notify: notify, notifyOn: notifyOn,
                        stages: (staged ?? nil)?.stages ?? [])
    }

    /// `stages:`, refused beside top-level `targets:`/`checks:` and for the customer key table (it has no targets).
    private func readStages(_ entry: MappingView.Entry, top: MappingView, isKeyTable: Bool) -> StagesReader.Result? {
        for key in ["targets", "checks"] {
            guard let other = top[key] else { continue }
            sink.report(other.keyNode, "the playbook has both 'stages' and top-level '\(key)'",
                        hint: "move the top-level \(key) into one of the stages, or drop stages:")
            return nil
        }
        if isKeyTable {
            sink.report(entry.keyNode, "a key-table playbook has no stages", hint: "remove stages:")
            return nil
        }
        return StagesReader(reader: reader, catalog: catalog).read(entry)
    }

    /// The value node, or nil for an explicit null (`owner:` with nothing after it), which means "not set".
    private func optional(_ node: Node) -> Node? {
        NodeReader.isNull(node) ? nil : node
    }

    private func readSecret(_ top: MappingView) -> String? {
        guard let entry = top["secret"] else {
            reader.missing("secret", in: top, context: "the playbook", hint: "name the secret, e.g. secret: openai-api-key")
            return nil
        }
        guard let name = reader.string(entry.value, for: "secret") else { return nil }
        guard Playbook.isValidSecretName(name) else {
            let lowered = name.lowercased().replacingOccurrences(of: " ", with: "-")
            sink.report(entry.value, "secret name \(NodeReader.shortQuote(name)) is not allowed",
                        hint: Playbook.isValidSecretName(lowered)
                            ? "did you mean '\(lowered)'? (names are lower case)"
                            : "use 1-63 characters a-z, 0-9, '.', '_' or '-', starting with a letter or digit")
            return nil
        }
        return name
    }

    // MARK: Schedule

    private func readSchedule(_ node: Node) -> ScheduleDraft? {
        guard let mapping = reader.mapping(node, for: "schedule") else { return nil }
        reader.checkKeys(mapping, allowed: Self.scheduleKeys, in: "schedule")
        let before = sink.count

        var timeZone = ScheduleSpec.utc
        if let entry = mapping["timezone"], let name = reader.string(entry.value, for: "timezone") {
            if let zone = TimeZone(identifier: name) {
                timeZone = zone
            } else {
                sink.report(entry.value, "unknown time zone \(NodeReader.shortQuote(name))",
                            hint: Suggestion.closest(to: name, among: TimeZone.knownTimeZoneIdentifiers + ["UTC"])
                                .map { "did you mean '\($0)'?" } ?? "use an IANA name such as Europe/Berlin or UTC")
            }
        }

        var rule: ScheduleSpec.Rule?
        var ruleNode: Node?
        let every = mapping["every"], cron = mapping["cron"]
        switch (every, cron) {
        case let (every?, cron?):
            let later = NodeReader.position(of: every.keyNode) < NodeReader.position(of: cron.keyNode) ? cron : every
            sink.report(later.keyNode, "schedule has both 'every' and 'cron'", hint: "keep one of them")
        case (nil, nil):
            sink.report(mapping.node, "schedule needs 'every' or 'cron'",
                        hint: "for example every: 30d or cron: \"0 3 * * 1\"; leave out schedule for a manual-only secret")
        case let (every?, nil):
            ruleNode = every.value
            rule = reader.duration(every.value, for: "every", positive: true).map(ScheduleSpec.Rule.every)
        case let (nil, cron?):
            ruleNode = cron.value
            if let text = reader.string(cron.value, for: "cron") {
                do {
                    let expression = try CronExpression(parsing: text)
                    if !expression.canEverFire {
                        sink.report(cron.value, "cron expression \"\(expression)\" never fires",
                                    hint: "no calendar date matches it; check the day against the month")
                    } else {
                        rule = .cron(expression)
                    }
                } catch {
                    sink.report(cron.value, "bad cron expression: \(error.message)",
                                hint: "five fields: minute hour day-of-month month day-of-week, e.g. \"0 3 * * 1\"")
                }
            }
        }

        var writtenWarnings: [(duration: Duration, node: Node)]?
        if let entry = mapping["warn_before"] {
            let nodes: [Node]
            if case .sequence(let sequence) = entry.value { nodes = Array(sequence) } else { nodes = [entry.value] }
            var warnings: [(duration: Duration, node: Node)] = []
            for item in nodes {
                guard let duration = reader.duration(item, for: "warn_before", positive: true) else { continue }
                if warnings.contains(where: { $0.duration == duration }) {
                    sink.report(item, "warn_before lists \(DurationText.format(duration)) twice")
                }
                warnings.append((duration, item))
            }
            writtenWarnings = warnings
        }

        var window: TimeWindow?
        if let entry = mapping["window"], let text = reader.string(entry.value, for: "window") {
            do {
                window = try TimeWindow(parsing: text)
            } catch {
                sink.report(entry.value, "bad window \(NodeReader.shortQuote(text)): \(error.reason)")
            }
        }

        guard sink.count == before, let rule, let ruleNode else { return nil }
        var spec = ScheduleSpec(rule: rule, window: window, timeZone: timeZone)
        if let writtenWarnings {
            spec.warnBefore = writtenWarnings.map(\.duration).sorted(by: >)
        } else if let interval = ScheduleMath.shortestInterval(of: spec, from: ScheduleMath.reference) {
            // The default warning applies where it fits: a weekly rotation gets none rather than an error
            // about a value nobody wrote. Written warnings are checked strictly (see crossCheck).
            spec.warnBefore = spec.warnBefore.filter { $0 < interval }
        }
        return ScheduleDraft(spec: spec, ruleNode: ruleNode, writtenWarnings: writtenWarnings)
    }

    /// Grace and warnings must fit between two rotations.
    private func crossCheck(_ schedule: ScheduleDraft, grace: Duration, graceNode: Node?) {
        guard let interval = ScheduleMath.shortestInterval(of: schedule.spec, from: ScheduleMath.reference) else { return }
        let intervalText = DurationText.format(interval)
        let ruleKind: String
        if case .every = schedule.spec.rule { ruleKind = "interval" } else { ruleKind = "shortest gap between firings" }
        if grace > interval {
            sink.report(graceNode ?? schedule.ruleNode,
                        "grace \(DurationText.format(grace))\(graceNode == nil ? " (the default)" : "") is longer than the schedule's \(ruleKind) \(intervalText)",
                        hint: "the old credential must be revoked before the next rotation; set grace: to at most \(intervalText)")
        }
        for warning in schedule.writtenWarnings ?? [] where warning.duration >= interval {
            sink.report(warning.node,
                        "warn_before \(DurationText.format(warning.duration)) is not shorter than the schedule's \(ruleKind) \(intervalText)",
                        hint: "warnings go out before each rotation; set warn_before: to less than \(intervalText), or [] for none")
        }
    }

    // MARK: Policy

    private func readPolicy(_ mapping: MappingView?) -> RotationPolicy? {
        var policy = RotationPolicy()
        guard let mapping else { return policy }
        let before = sink.count
        reader.checkKeys(mapping, allowed: Self.policyKeys, in: "policy")
        func duration(_ key: String, positive: Bool) -> Duration? {
            mapping[key].flatMap { optional($0.value) }.flatMap { reader.duration($0, for: key, positive: positive) }
        }
        policy.maxAge = duration("max_age", positive: true) ?? policy.maxAge
        policy.skipFor = duration("skip_for", positive: true) ?? policy.skipFor
        policy.revokeWhenUnused = duration("revoke_when_unused", positive: true)
        policy.maxGrace = duration("max_grace", positive: false)
        policy.stepTimeout = duration("step_timeout", positive: true) ?? policy.stepTimeout
        policy.retention = duration("retention", positive: false) ?? policy.retention
        policy.passBudget = duration("pass_budget", positive: true) ?? policy.passBudget
        if let entry = mapping["max_attempts_per_day"], let node = optional(entry.value),
           let attempts = reader.int(node, for: "max_attempts_per_day") {
            if attempts < 1 {
                sink.report(node, "'max_attempts_per_day' must be 1 or more, got \(attempts)",
                            hint: "each attempt mints a new value at the source; 3 (the default) allows the backoff's retries")
            }
            policy.maxAttemptsPerDay = attempts
        }
        if let entry = mapping["max_skips"], let node = optional(entry.value), let skips = reader.int(node, for: "max_skips") {
            if skips < 0 {
                sink.report(node, "'max_skips' cannot be negative, got \(skips)", hint: "0 means rotations cannot be skipped")
            }
            policy.maxSkips = skips
        }
        return sink.count == before ? policy : nil
    }

    // MARK: Lists

    private func readProviders(_ entry: MappingView.Entry?, kind: ProviderKind, key: String)
        -> (configs: [ProviderConfig], nodes: [Node])? {
        guard let entry, let node = optional(entry.value) else { return ([], []) }
        guard let items = reader.list(node, for: key, expected: "a list of \(kind.rawValue)s") else { return nil }
        let providers = ProviderReader(reader: reader, catalog: catalog)
        let configs = items.enumerated().map { index, item in
            providers.read(item, kind: kind, index: index, key: "\(key)[\(index)]").config
        }
        return configs.contains { $0 == nil } ? nil : (configs.compactMap { $0 }, items)
    }

    private func readNotify(_ entry: MappingView.Entry?) -> [String]? {
        guard let entry, let node = optional(entry.value) else { return [] }
        guard let items = reader.list(node, for: "notify", expected: "a list of channel names") else { return nil }
        let before = sink.count
        var names: [String] = []
        for item in items {
            guard let name = reader.string(item, for: "notify") else { continue }
            if names.contains(name) {
                sink.report(item, "channel '\(name)' is listed twice in notify")
            } else if let knownChannels, !knownChannels.contains(name) {
                sink.report(item, "unknown channel \(NodeReader.shortQuote(name)) in notify",
                            hint: Suggestion.hint(for: name, among: knownChannels.sorted(), listing: "channels defined in rotor.yml"))
            }
            names.append(name)
        }
        return sink.count == before ? names : nil
    }

    /// `notify_on:`: a list of `NotifyEvent` names; absent means the defaults.
    private func readNotifyOn(_ entry: MappingView.Entry?) -> Set<NotifyEvent>? {
        guard let entry, let node = optional(entry.value) else { return NotifyEvent.defaults }
        guard let items = reader.list(node, for: "notify_on", expected: "a list such as [warning, failed, emergency]") else {
            return nil
        }
        let before = sink.count
        var events = Set<NotifyEvent>()
        let allowed = NotifyEvent.allCases.map(\.rawValue)
        for item in items {
            guard let name = reader.string(item, for: "notify_on") else { continue }
            guard let event = NotifyEvent(rawValue: name) else {
                sink.report(item, "unknown event \(NodeReader.shortQuote(name)) in notify_on",
                            hint: Suggestion.hint(for: name, among: allowed, listing: "events"))
                continue
            }
            if !events.insert(event).inserted { sink.report(item, "'\(name)' is listed twice in notify_on") }
        }
        return sink.count == before ? events : nil
    }
}
