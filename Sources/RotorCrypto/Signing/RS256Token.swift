/// A JSON Web Token signed RS256 (RFC 7519, JWS compact serialization, RFC 7515): what a GitHub App presents as
/// `Authorization: Bearer <jwt>`. Claims are JSON the caller builds and reads; this type only signs and splits.
public struct RS256Token: Sendable, Equatable {
    /// The protected header, decoded JSON.
    public let header: [UInt8]
    /// The claims, decoded JSON.
    public let claims: [UInt8]
    /// `base64url(header).base64url(claims)`: what the signature covers.
    public let signingInput: [UInt8]
    /// The signature bytes.
    public let signature: [UInt8]

    /// The header every token this type signs carries.
    public static let header = #"{"alg":"RS256","typ":"JWT"}"#

    /// `claims` (JSON text) signed with `key`, in compact form.
    public static func sign(claims: String, with key: RSAPrivateKey) throws(SigningKeyError) -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        return input + "." + Base64URL.encode(try key.sign(Array(input.utf8)))
    }

    /// Splits a compact token into its parts; nil unless it has exactly three non-empty unpadded
    /// base64url parts.
    /// Checks nothing else: verify the signature and the claims.
    public init?(compact token: String) {
        guard token.utf8.count <= 16_384 else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }), let header = Base64URL.decode(String(parts[0])), let claims = Base64URL.decode(String(parts[1])),
              let signature = Base64URL.decode(String(parts[2])) else { return nil }
        self.header = header
        self.claims = claims
        self.signingInput = Array("\(parts[0]).\(parts[1])".utf8)
        self.signature = signature
    }

    /// Whether the signature is `key`'s over the signing input.
    public func isSigned(by key: RSAPublicKey) -> Bool {
        key.isValidSignature(signature, for: signingInput)
    }
}
