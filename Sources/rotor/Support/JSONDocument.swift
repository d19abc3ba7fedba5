/// A `--json` document: `schema_version` and the body's own fields in one object.
struct JSONDocument<Body: Encodable>: Encodable {
    let body: Body

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try container.encode(JSONOutput.schemaVersion, forKey: JSONKey("schema_version"))
        // JSONEncoder gives every keyed container of one encoder the same object, so the body's fields land
        // next to schema_version rather than under a key of their own.
        try body.encode(to: encoder)
    }
}
