/// `type: webhook`: signed JSON posts (`X-Rotor-Signature`, `X-Rotor-Timestamp`) to an HTTP endpoint.
public struct WebhookChannelConfig: Sendable, Equatable {
    /// The `http` or `https` URL posted to. Written as is: the signing secret is what authenticates,
    /// and logs and errors show only the URL's scheme and host.
    public var url: String
    /// Where the HMAC-SHA256 signing secret comes from.
    public var signingSecret: CredentialReference

    /// A webhook channel posting to `url`, signing with what `signingSecret` resolves to.
    public init(url: String, signingSecret: CredentialReference) {
        self.url = url
        self.signingSecret = signingSecret
    }
}
