import Foundation

/// A version as people see it: id, fingerprint and last 4, never the value.
public struct SecretVersionSummary: Sendable, Equatable, Codable {
    public var id: String
    public var fingerprint: String
    public var last4: String
    public var prefix: String
    public var label: VersionLabel?
    public var sourceHandle: String?
    public var createdAt: Date?

    public var display: String { SecretValue.display(prefix: prefix, last4: last4) }

    public init(_ record: SecretVersionRecord) {
        id = record.id
        fingerprint = record.fingerprint
        last4 = record.last4
        prefix = record.displayPrefix
        label = record.label
        sourceHandle = record.sourceHandle
        createdAt = record.createdAt
    }

    public init(value: SecretValue, id: String) {
        self.id = id
        fingerprint = value.fingerprint
        last4 = value.last4
        prefix = value.knownPrefix
    }
}
