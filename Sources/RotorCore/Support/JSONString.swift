/// JSON string literals for documents Rotor writes as text: a request body template (``ConfigValue/jsonText``), a
/// JWT's claims, a log record.
public enum JSONString {
    /// `text` as a JSON string: quotes, backslashes and every C0 control character escaped (`\n`, `\r`, `\t`, the
    /// rest as `\u00xx`). With `oneLine`, DEL, U+2028 and U+2029 are escaped too, since some readers end a line at
    /// them and a log record must stay one line.
    public static func quoted(_ text: String, oneLine: Bool = false) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (oneLine && (scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029)):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
