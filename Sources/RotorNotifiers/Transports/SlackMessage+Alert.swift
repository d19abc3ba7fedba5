import RotorCore

extension SlackMessage {
    /// An alert, readable at a glance: the headline and what happened; the secret, state, old and new key (by
    /// last 4) and rotation in two columns; what Rotor already did; the targets; the one command that fixes it;
    /// the message's links.
    init(alert event: AlertEvent, _ notification: NotificationMessage) {
        let alarm = notification.urgent ? ":rotating_light: *URGENT* " : ""
        let subject = Self.escape(notification.subject)
        text = alarm + subject
        blocks = [Self.section(alarm + "*\(subject)*\n" + Self.escape(event.summary))]
        var facts: [(String, String)] = []
        if let secret = event.secret { facts.append(("Secret", secret)) }
        if let state = event.state { facts.append(("State", state)) }
        if let old = event.old { facts.append(("Old key", "\(old.display) (fp \(old.fingerprint))")) }
        if let new = event.new { facts.append(("New key", "\(new.display) (fp \(new.fingerprint))")) }
        if let rotation = event.rotationID { facts.append(("Rotation", rotation)) }
        if !facts.isEmpty {
            blocks.append(Block(fields: facts.prefix(10).map { name, value in
                Text(text: Self.truncate("*\(name)*\n\(Self.escape(value))", to: Self.fieldLimit))
            }))
        }
        blocks.append(Self.section("*What Rotor did*\n" + Self.escape(event.done)))
        if !event.targets.isEmpty {
            blocks.append(Self.section("*Targets*\n" + event.targets.map { "• " + Self.escape($0) }.joined(separator: "\n")))
        }
        if let fix = event.fix {
            blocks.append(Self.section("*To fix*\n" + Self.escape(fix)))
        }
        if !notification.links.isEmpty {
            let links = notification.links.sorted { $0.key < $1.key }.map { "<\(Self.linkTarget($0.value))|\(Self.escape($0.key))>" }
            blocks.append(Self.section(links.joined(separator: "  ·  ")))
        }
    }

    private static func section(_ text: String) -> Block {
        Block(text: Text(text: truncate(text, to: sectionLimit)))
    }
}
