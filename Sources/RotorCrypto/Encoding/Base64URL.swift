/// URL- and filename-safe base64 (RFC 4648 §5), without padding: fits in URLs, tokens and paths.
public enum Base64URL {
    /// Encodes `bytes` with the `-_` alphabet and no `=` padding.
    public static func encode<D: Collection>(_ bytes: D) -> String where D.Element == UInt8 {
        Base64Codec.url.encode(bytes)
    }

    /// Decodes an unpadded URL-safe base64 string; nil for anything else (padding, `+` or `/`,
    /// whitespace, non-zero trailing bits).
    public static func decode(_ string: String) -> [UInt8]? {
        Base64Codec.url.decode(string)
    }
}
