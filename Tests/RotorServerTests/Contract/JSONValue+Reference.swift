import RotorCore

/// An OpenAPI document's local references, followed in the document as parsed.
extension JSONValue {
    /// Follows a local reference such as `#/components/schemas/Error` from `self` as the document root.
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = self
        for part in reference.dropFirst(2).split(separator: "/") {
            node = node?[String(part).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
        return node
    }

    /// `node`, or what it refers to when it is a `{"$ref": …}` (one level, as the document uses them).
    func dereference(_ node: JSONValue) -> JSONValue? {
        if let reference = node["$ref"]?.string { return resolve(reference) }
        return node
    }
}
