/// The mark at the start of a line that says how something went: an emoji on a terminal, a bracketed word
/// (`[ok]`, `[failed]`) anywhere else (see ``TerminalStyle``). Interpolate it: `"\(Mark.ok) 1 playbook valid"`.
enum Mark: CustomStringConvertible {
    case ok, failed, warning, alert, rotating, resuming, undone, finished, dueSoon, deleted, other

    private var emoji: String {
        switch self {
        case .ok: "✅"
        case .failed: "❌"
        case .warning: "⚠️ "
        case .alert: "🚨"
        case .rotating: "🔄"
        case .resuming: "⏯ "
        case .undone: "↩️ "
        case .finished: "🏁"
        case .dueSoon: "🕑"
        case .deleted: "🗑 "
        case .other: "·"
        }
    }

    private var plain: String {
        switch self {
        case .ok: "[ok]"
        case .failed: "[failed]"
        case .warning: "[warning]"
        case .alert: "[alert]"
        case .rotating: "[rotating]"
        case .resuming: "[resuming]"
        case .undone: "[undone]"
        case .finished: "[done]"
        case .dueSoon: "[due soon]"
        case .deleted: "[deleted]"
        case .other: "-"
        }
    }

    /// As standard output shows it.
    var description: String { TerminalStyle.standardOutput.decorated ? emoji : plain }
}
