/// The phase of a write-ahead journal entry: written before an external effect, and after it.
public enum JournalPhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// The effect is about to happen (it may or may not have happened if no later entry follows).
    case started
    case succeeded
    case failed
}
