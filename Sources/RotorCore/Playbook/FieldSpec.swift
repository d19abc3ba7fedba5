/// One field a provider accepts in a playbook.
public struct FieldSpec: Sendable, Equatable {
    /// The YAML key.
    public var name: String
    /// What values it accepts.
    public var type: FieldType
    /// Whether a playbook must set it.
    public var required: Bool
    /// One line for humans, shown as the hint when the field is missing.
    public var doc: String

    /// A field called `name` of type `type`.
    public init(_ name: String, _ type: FieldType, required: Bool = false, doc: String = "") {
        self.name = name
        self.type = type
        self.required = required
        self.doc = doc
    }
}
