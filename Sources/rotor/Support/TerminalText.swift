import RotorCore

/// What every command uses to print a value it did not write itself (a secret's name, a reason, an actor, an
/// error message from a provider or the store): control characters are escaped, so such a value cannot move the
/// cursor, clear the screen or forge a line of output. `--json` output needs nothing: JSON escapes them.
enum TerminalText {
    /// `text` with its control characters escaped (see ``ControlCharacters/escaped(_:)``).
    static func safe(_ text: String) -> String { ControlCharacters.escaped(text) }
}
