import RotorCore
import RotorCrypto

/// New values from the operating system's CSPRNG (OpenSSL RAND_bytes). Nothing to revoke.
public struct RandomSource: CredentialSource {
    public enum Alphabet: String, Sendable, CaseIterable {
        case base62, hex, base64url
    }

    public static let schema = ProviderSchema(kind: .source, name: "random", fields: [
        FieldSpec("length", .int(16...512), doc: "bytes of entropy (default 32)"),
        FieldSpec("alphabet", .enumeration(Alphabet.allCases.map(\.rawValue)), doc: "base62 (default), hex or base64url"),
        FieldSpec("prefix", .string, doc: "text put before the random part, e.g. sk_"),
    ])

    public let entropyBytes: Int
    public let alphabet: Alphabet
    public let prefix: String

    public init(entropyBytes: Int = 32, alphabet: Alphabet = .base62, prefix: String = "") {
        self.entropyBytes = entropyBytes
        self.alphabet = alphabet
        self.prefix = prefix
    }

    public init(config: ProviderConfig) {
        self.init(entropyBytes: config.int("length") ?? 32,
                  alphabet: config.string("alphabet").flatMap(Alphabet.init(rawValue:)) ?? .base62,
                  prefix: config.string("prefix") ?? "")
    }

    public func generate() -> String {
        switch alphabet {
        case .hex:
            return prefix + Hex.encode(SecureRandom.bytes(entropyBytes))
        case .base64url:
            return prefix + Base64URL.encode(SecureRandom.bytes(entropyBytes))
        case .base62:
            // Enough uniformly drawn characters to carry the requested entropy: log2(62) ≈ 5.954 bits each.
            let characters = Int((Double(entropyBytes * 8) / 5.954).rounded(.up))
            return prefix + Base62.randomString(length: characters)
        }
    }

    public func mint(_ context: StepContext) async throws -> MintedCredential {
        MintedCredential(value: SecretValue(generate()))
    }

    public func revoke(_ credential: StoredCredential, _ context: StepContext) async throws {}
}
