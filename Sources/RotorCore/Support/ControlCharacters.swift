/// Control characters made visible. Text that reaches a terminal or a one-line report from outside Rotor's own
/// code (a secret's name, a skip reason, an actor, a YAML value, an error from a provider) may carry an escape
/// sequence that clears the screen or rewrites the window title, or a line break that forges a line of output.
/// Escaped, they are shown instead of acted on.
public enum ControlCharacters {
    /// `text` with every C0 control character, DEL and C1 control character written as an escape: `\n`, `\r`,
    /// `\t`, `\0`, `\e` for ESC, and `\u{XX}` for the rest. Everything else, backslashes included, is unchanged.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            case "\u{1B}": out += "\\e"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    /// C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
