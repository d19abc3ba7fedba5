/// Why a rotation was started.
public enum RotationTrigger: String, Sendable, Hashable, Codable, CaseIterable {
    /// An operator asked for it (`rotor rotate`).
    case manual
    /// The secret's schedule came due.
    case schedule
    /// A suspected leak (`rotor emergency`): short or no grace period.
    case emergency
    /// The compliance limit (`max_age`) was reached and no more skips are allowed.
    case compliance
}
