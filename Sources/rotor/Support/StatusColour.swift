/// The colour of a state word (`ok`, `overdue`, `rolled_back`, …) on a colour terminal: green when all is
/// well, yellow while something is under way or coming due, red when it needs a person.
enum StatusColour {
    /// `word` padded to `padding` columns, then coloured (escape sequences would upset the padding).
    static func paint(_ word: String, padding: Int = 0) -> String {
        let padded = word.count < padding ? word.padding(toLength: padding, withPad: " ", startingAt: 0) : word
        guard let colour = colour(of: word) else { return padded }
        return TerminalStyle.standardOutput.paint(padded, colour)
    }

    static func colour(of word: String) -> TerminalStyle.Colour? {
        switch word {
        case "ok", "completed", "valid", "active", "sent": .green
        case "due_soon", "grace", "rotating", "generating", "propagating", "verifying", "revoking", "pending", "not_imported": .yellow
        case "overdue", "failing", "failed", "stuck", "invalid", "rolled_back", "orphaned", "revoked": .red
        default: nil
        }
    }
}
