import Foundation
import RotorCrypto

/// Where a provider's own credential (a Vercel token, an admin database URL) comes from:
/// `env:NAME`, `file:PATH`, or `secret:NAME` (the current value of a secret Rotor manages).
/// The reference is safe to print; what it points at is not.
public struct CredentialReference: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case environment(String)
        case file(String)
        case secret(String)
    }

    public let kind: Kind

    public init(parsing text: String) throws {
        if text.hasPrefix("env:"), text.count > 4 {
            kind = .environment(String(text.dropFirst(4)))
        } else if text.hasPrefix("file:"), text.count > 5 {
            kind = .file(String(text.dropFirst(5)))
        } else if text.hasPrefix("secret:"), text.count > 7 {
            kind = .secret(String(text.dropFirst(7)))
        } else {
            throw CredentialError("\(text.count > 40 ? "this value" : "'\(text)'") is not a credential reference; "
                                  + "use env:NAME, file:PATH or secret:NAME (never the credential itself)")
        }
    }

    public var description: String {
        switch kind {
        case .environment(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        case .secret(let name): "secret:\(name)"
        }
    }
}

/// Resolves credential references for providers.
public struct CredentialResolver: Sendable {
    let environment: [String: String]
    let store: (any Store)?
    let sealer: Sealer?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, store: (any Store)?, sealer: Sealer?) {
        self.environment = environment
        self.store = store
        self.sealer = sealer
    }

    public func resolve(_ reference: CredentialReference) async throws -> SecretValue {
        switch reference.kind {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw CredentialError("\(reference) is not set; export \(name) in rotor's environment")
            }
            return SecretValue(value)
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CredentialError("\(reference): cannot read \(path)")
            }
            var bytes = Array(data)
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            guard !bytes.isEmpty else { throw CredentialError("\(reference): \(path) is empty") }
            return SecretValue(bytes: bytes)
        case .secret(let name):
            guard let store, let sealer else { throw CredentialError("\(reference): no store to read managed secrets from") }
            guard let version = try await store.transaction({ try $0.version(secretName: name, label: .current) }) else {
                throw CredentialError("\(reference): the secret \(name) has no current version; `rotor import \(name)` first")
            }
            let bytes = try sealer.open(SealedValue(keyID: version.masterKeyID, box: version.sealedValue),
                                        context: SealingContext.version(secret: name, versionID: version.id))
            return SecretValue(bytes: bytes)
        }
    }
}

public struct CredentialError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
