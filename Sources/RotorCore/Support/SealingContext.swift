/// The associated data bound into each sealed value, so a sealed box copied to another row fails to open.
public enum SealingContext {
    public static func version(secret: String, versionID: String) -> String { "version:\(secret)/\(versionID)" }
    public static func pickup(id: String) -> String { "pickup:\(id)" }
    public static func setting(_ key: String) -> String { "setting:\(key)" }
}
