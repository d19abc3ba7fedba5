/// Standard base64 (RFC 4648 §4), with `=` padding.
public enum Base64 {
    /// Encodes `bytes` with the `+/` alphabet, padded to a multiple of 4 characters.
    public static func encode<D: Collection>(_ bytes: D) -> String where D.Element == UInt8 {
        Base64Codec.standard.encode(bytes)
    }

    /// Decodes a padded base64 string; nil for anything else (whitespace, URL-safe characters,
    /// missing padding, non-zero trailing bits).
    public static func decode(_ string: String) -> [UInt8]? {
        Base64Codec.standard.decode(string)
    }
}
