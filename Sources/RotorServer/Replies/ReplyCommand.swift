import RotorCore

/// What a reply asks for. Text replies are parsed strictly; anything else is refused with the accepted forms.
enum ReplyCommand: Equatable, Sendable {
    /// Postpone by the policy's `skip_for`, or by the duration given.
    case skip(Duration?)
    /// Make the rotation due at once.
    case rotateNow

    static let acceptedForms = "SKIP, SKIP <duration> (for example SKIP 14d), or ROTATE NOW"

    /// The command of a link token's action (`skip` or `rotate-now`), nil for an action this server does not know.
    init?(action: String) {
        switch action {
        case "skip": self = .skip(nil)
        case "rotate-now": self = .rotateNow
        default: return nil
        }
    }

    /// Parses a text reply, case-insensitively: `SKIP`, `SKIP <duration>`, `ROTATE NOW`.
    /// Throws a 400 that lists the accepted forms and never quotes the text.
    static func parse(_ text: String) throws -> ReplyCommand {
        let words = text.split(whereSeparator: { $0.isWhitespace }).map { $0.uppercased() }
        switch words.count {
        case 1 where words[0] == "SKIP":
            return .skip(nil)
        case 2 where words[0] == "ROTATE" && words[1] == "NOW":
            return .rotateNow
        case 2 where words[0] == "SKIP":
            guard let duration = try? DurationText.parse(words[1].lowercased()), duration > .zero else {
                throw ServerError(.badRequest, "the duration after SKIP is not understood",
                                  hint: "use \(DurationText.forms), for example SKIP 14d")
            }
            return .skip(duration)
        default:
            throw ServerError(.badRequest, "the reply text is not a command Rotor understands",
                              hint: "reply with \(acceptedForms)")
        }
    }
}
