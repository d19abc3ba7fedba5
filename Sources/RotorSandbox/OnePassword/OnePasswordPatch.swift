/// An RFC 6902 patch as 1Password Connect accepts it: only `add`, `remove` and `replace`, with a field
/// addressed by its id (`/fields/{fieldId}/value`; 1Password/connect issue #58).
struct OnePasswordPatch {
    let operations: [JSONValue]

    static func parse(_ body: JSONValue?) throws(APIFailure) -> OnePasswordPatch {
        guard let operations = body?.arrayValue, !operations.isEmpty else {
            throw APIFailure.onePassword(400, "Invalid patch: the body must be a non-empty array of RFC 6902 operations")
        }
        return OnePasswordPatch(operations: operations)
    }

    /// `item` with every operation applied, or the first operation's error (the item is then unchanged).
    func apply(to item: OnePasswordItem) throws(APIFailure) -> OnePasswordItem {
        var item = item
        for operation in operations {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw Self.invalid("every operation needs \"op\" and \"path\"")
            }
            guard ["add", "remove", "replace"].contains(op) else {
                throw Self.invalid("unsupported op \"\(op)\": only add, remove and replace are allowed")
            }
            try apply(op: op, path: path, value: operation["value"], to: &item)
        }
        return item
    }

    private func apply(op: String, path: String, value: JSONValue?, to item: inout OnePasswordItem) throws(APIFailure) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard path.hasPrefix("/"), let head = parts.first else { throw Self.invalid("path \"\(path)\" must start with /") }
        switch (head, parts.count, op) {
        case ("title", 1, "add"), ("title", 1, "replace"):
            guard let title = value?.stringValue, !title.isEmpty else { throw Self.invalid("/title needs a non-empty string value") }
            item.title = title
        case ("tags", 1, "add"), ("tags", 1, "replace"):
            guard let tags = value?.arrayValue?.compactMap(\.stringValue), tags.count == value?.arrayValue?.count else {
                throw Self.invalid("/tags needs an array of strings")
            }
            item.tags = tags
        case ("fields", 1, "add"), ("fields", 2, "add") where parts.count == 1 || parts[1] == "-":
            guard let value else { throw Self.invalid("adding a field needs a field object as value") }
            item.fields.append(try OnePasswordItem.Field.parse(value))
        case ("fields", 2, _):
            let index = try fieldIndex(parts[1], in: item)
            if op == "remove" {
                item.fields.remove(at: index)
            } else {
                guard let value else { throw Self.invalid("\(op) \(path) needs a field object as value") }
                var field = try OnePasswordItem.Field.parse(value)
                field.id = item.fields[index].id
                item.fields[index] = field
            }
        case ("fields", 3, _) where ["value", "label"].contains(parts[2]):
            let index = try fieldIndex(parts[1], in: item)
            if op == "remove" {
                guard parts[2] == "value" else { throw Self.invalid("a field's label cannot be removed") }
                item.fields[index].value = nil
            } else {
                guard let text = value?.stringValue else { throw Self.invalid("\(op) \(path) needs a string value") }
                if parts[2] == "value" { item.fields[index].value = text } else { item.fields[index].label = text }
            }
        default:
            throw Self.invalid("cannot \(op) \(path)")
        }
    }

    private func fieldIndex(_ id: String, in item: OnePasswordItem) throws(APIFailure) -> Int {
        guard let index = item.fields.firstIndex(where: { $0.id == id }) else {
            throw Self.invalid("the item has no field with id \"\(id)\" (address fields by id, not by label)")
        }
        return index
    }

    private static func invalid(_ detail: String) -> APIFailure {
        .onePassword(400, "Invalid patch: \(detail)")
    }
}
