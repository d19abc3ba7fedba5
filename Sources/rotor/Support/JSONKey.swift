/// A JSON key named at run time: a document's list (`{"secrets": [...]}`), a version's component, a nested
/// object's keys.
struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// One field whose key is named at run time: the body of a document that is a list.
struct JSONField<Value: Encodable>: Encodable {
    let key: String
    let value: Value

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try container.encode(value, forKey: JSONKey(key))
    }
}
