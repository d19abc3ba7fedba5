import RotorCrypto

/// How the sandbox refers to a secret value in anything it shows: the first 8 hex digits of its
/// SHA-256, the convention of DESIGN.md. Never the value itself.
enum Fingerprint {
    static func of(_ value: String) -> String {
        String(SHA256.hex(Array(value.utf8)).prefix(8))
    }

    static func of(_ value: String?) -> JSONValue {
        value.map { .string(of($0)) } ?? .null
    }
}
