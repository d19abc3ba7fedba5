import Yams

/// A YAML mapping as the validator sees it: string keys in written order, merge keys (`<<: *defaults`)
/// expanded, placeholder keys of recovered duplicates left out.
struct MappingView {
    struct Entry {
        let key: String
        let keyNode: Node
        let value: Node
    }

    /// The mapping node itself: where "missing key" problems are reported.
    let node: Node
    let entries: [Entry]

    subscript(key: String) -> Entry? {
        entries.first { $0.key == key }
    }
}
