import RotorCrypto

/// One variable of a Render service or env group, with the opaque cursor that lists return for it.
struct RenderEnvVar: Sendable {
    let key: String
    var value: String
    let cursor: String

    init(key: String, value: String) {
        self.key = key
        self.value = value
        self.cursor = Base62.randomString(length: 16)
    }

    /// `{"key":…,"value":…}`.
    var json: JSONValue { ["key": .string(key), "value": .string(value)] }

    /// The list item shape: `{"envVar":{"key":…,"value":…},"cursor":…}`.
    var listItem: JSONValue { ["envVar": json, "cursor": .string(cursor)] }

    /// A value for `{"generateValue": true}`: 256 bits, base64 as Render generates them.
    static func generatedValue() -> String {
        Base64.encode(SecureRandom.bytes(32))
    }
}
