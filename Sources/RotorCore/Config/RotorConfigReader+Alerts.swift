import Yams

extension RotorConfigReader {
    static let alertsKeys = ["channels", "remind_every"]

    /// `alerts: { channels: [oncall-email], remind_every: 24h }`: every channel must be defined under
    /// `channels:` (in `defined`), each listed once; `remind_every` is a positive duration.
    func alerts(_ node: Node, defined: [String: ChannelConfig]) -> AlertsConfig? {
        guard let mapping = reader.mapping(node, for: "alerts",
                                           expected: "a mapping such as { channels: [oncall-email], remind_every: 24h }") else {
            return nil
        }
        reader.checkKeys(mapping, allowed: Self.alertsKeys, in: "alerts")
        let before = reader.sink.count
        var config = AlertsConfig()
        if let entry = mapping["channels"], !NodeReader.isNull(entry.value),
           let items = reader.list(entry.value, for: "channels", expected: "a list of channel names defined under channels:") {
            for item in items {
                guard let name = reader.string(item, for: "alerts.channels") else { continue }
                if config.channels.contains(name) {
                    reader.sink.report(item, "channel '\(name)' is listed twice in alerts.channels")
                } else if defined[name] == nil {
                    reader.sink.report(item, "unknown channel \(NodeReader.shortQuote(name)) in alerts.channels",
                                       hint: Suggestion.hint(for: name, among: defined.keys.sorted(),
                                                             listing: "channels defined in rotor.yml"))
                }
                config.channels.append(name)
            }
        } else if mapping["channels"] == nil {
            reader.missing("channels", in: mapping, context: "alerts", hint: "channels: [oncall-email]")
        }
        if let entry = mapping["remind_every"], !NodeReader.isNull(entry.value),
           let every = reader.duration(entry.value, for: "remind_every", positive: true) {
            config.remindEvery = every
        }
        return reader.sink.count == before ? config : nil
    }
}
