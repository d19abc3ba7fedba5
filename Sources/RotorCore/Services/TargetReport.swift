import Foundation

/// The last reading of a secret's targets (``DriftInspector``): when, by whom, against which versions, and what each
/// target held, by fingerprint only, never a value.
///
/// It is kept in the store as the setting `drift.report.SECRET` (written by ``DriftWatch`` and by a read-back asked
/// for on the dashboard), so that a page shows what the targets held without calling vendor APIs on every view.
public struct TargetReport: Sendable, Codable, Equatable {
    /// When the targets were read.
    public var at: Date
    /// Who asked: a dashboard user, or `drift-watch`.
    public var by: String
    /// The fingerprints of Rotor's current and previous versions the targets were compared with.
    public var current: String?
    public var previous: String?
    /// Every target, in the playbook's order.
    public var targets: [TargetDrift]

    public init(at: Date, by: String, current: String?, previous: String?, targets: [TargetDrift]) {
        self.at = at
        self.by = by
        self.current = current
        self.previous = previous
        self.targets = targets
    }

    /// The setting the last reading of `secret` is kept under.
    public static func settingKey(secret: String) -> String { "drift.report.\(secret)" }

    /// The last reading of `secret`, or nil when there is none (or what is stored is not a reading).
    public static func load(secret: String, from tx: any SettingsTransaction) throws -> TargetReport? {
        guard let bytes = try tx.setting(settingKey(secret: secret)) else { return nil }
        return try? JSONDecoder().decode(TargetReport.self, from: Data(bytes))
    }

    /// Keeps this reading as the last one of `secret`.
    public func save(secret: String, in tx: any SettingsTransaction) throws {
        try tx.setSetting(Self.settingKey(secret: secret), Array(try JSONEncoder().encode(self)))
    }

    enum CodingKeys: String, CodingKey {
        case at, by, current, previous, targets
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // Stored as ISO 8601 text, as the other time settings are, whatever JSONDecoder's date default.
        guard let at = ISO8601.parse(try container.decode(String.self, forKey: .at)) else {
            throw DecodingError.dataCorruptedError(forKey: .at, in: container, debugDescription: "not an ISO 8601 time")
        }
        self.at = at
        by = try container.decode(String.self, forKey: .by)
        current = try container.decodeIfPresent(String.self, forKey: .current)
        previous = try container.decodeIfPresent(String.self, forKey: .previous)
        targets = try container.decode([TargetDrift].self, forKey: .targets)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ISO8601.string(at), forKey: .at)
        try container.encode(by, forKey: .by)
        try container.encodeIfPresent(current, forKey: .current)
        try container.encodeIfPresent(previous, forKey: .previous)
        try container.encode(targets, forKey: .targets)
    }
}
