/// The associated data bound into each sealed value, so a sealed box copied to another row fails to open.
public enum SealingContext {
    public static func version(secret: String, versionID: String) -> String { "version:\(secret)/\(versionID)" }
    public static func pickup(id: String) -> String { "pickup:\(id)" }
    /// What a target held before a rotation's first write to it, journaled by that target's propagate step.
    public static func prior(rotationID: String, step: String) -> String { "prior:\(rotationID)/\(step)" }
    public static func setting(_ key: String) -> String { "setting:\(key)" }
    /// A dashboard session, bound to the hash of its key: a sealed session copied under another key does not open.
    public static func session(keyHash: String) -> String { "session:\(keyHash)" }
}
