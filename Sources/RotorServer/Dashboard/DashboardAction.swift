import RotorCore

/// What an operator can do to a secret from the dashboard, with what its confirmation page says and asks.
enum DashboardAction: String, Sendable, CaseIterable {
    case skip, rotate, emergency, resolve

    struct Field {
        var name: String
        var label: String
        var hint: String
        var required: Bool
        var choices: [Choice]
        var isChoice: Bool
    }

    struct Choice {
        var value: String
        var label: String
    }

    var title: String {
        switch self {
        case .skip: "Skip the next rotation"
        case .rotate: "Rotate now"
        case .emergency: "Emergency rotation"
        case .resolve: "Resolve a stuck rotation"
        }
    }

    func explanation(_ playbook: Playbook) -> String {
        switch self {
        case .skip:
            "Postpones the next rotation by \(DurationText.format(playbook.policy.skipFor)) (or the time you give), at most "
                + "\(playbook.policy.maxSkips) times per cycle and never past the maximum age. Your name and reason go to the audit log."
        case .rotate:
            "Starts a rotation now: a new value is made, written to \(playbook.targets.count) target(s) and checked; the old value "
                + "stays valid for \(DurationText.format(playbook.grace)). You can watch it live."
        case .emergency:
            "For a suspected leak: rotates now with the emergency grace of \(DurationText.format(playbook.emergencyGrace)), ignoring "
                + "windows and skips, and rolls back a rotation in flight first. Every alert channel is told."
        case .resolve:
            "Drives the stuck rotation again now, or records that you revoked the old value by hand at the vendor."
        }
    }

    var fields: [Field] {
        switch self {
        case .skip:
            [Field(name: "reason", label: "Reason", hint: "recorded in the audit log", required: true, choices: [], isChoice: false),
             Field(name: "for", label: "Postpone by (optional)", hint: "for example 14d; empty: the playbook's skip_for", required: false,
                   choices: [], isChoice: false)]
        case .rotate:
            [Field(name: "reason", label: "Reason (optional)", hint: "recorded in the audit log", required: false, choices: [], isChoice: false)]
        case .emergency:
            [Field(name: "reason", label: "Reason", hint: "what leaked, and how you know", required: true, choices: [], isChoice: false)]
        case .resolve:
            [Field(name: "how", label: "How", hint: "", required: true,
                   choices: [Choice(value: "retry", label: "Retry the rotation now"),
                             Choice(value: "revoked", label: "I revoked the old value by hand")], isChoice: true),
             Field(name: "reason", label: "Reason (needed when you revoked by hand)", hint: "recorded in the audit log", required: false,
                   choices: [], isChoice: false)]
        }
    }
}
