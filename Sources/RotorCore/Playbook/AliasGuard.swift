import Yams

/// Refuses documents whose aliases expand into something huge or deep, before Yams builds them.
///
/// Yams resolves an alias by sharing the anchored node, so a 1 MiB file can describe a tree of a billion
/// nodes ("billion laughs") or one hundreds of thousands of levels deep (a chain of anchors each wrapping the
/// previous alias). Yams then hashes such keys recursively and frees such trees recursively, which takes
/// forever or overflows the stack. libyaml itself caps literal nesting at 1000 levels, so the guard composes
/// a copy of the text without aliases (anchors blanked, each alias replaced by a marked plain scalar, every
/// column unchanged), measures what the aliases would expand to, and only then lets the real text be composed.
enum AliasGuard {
    static let maximumDepth = 200
    static let maximumNodes = 100_000

    enum Verdict {
        case safe
        /// The expansion is too large; `at` is the node where a limit is first exceeded.
        case tooLarge(at: Mark?)
        /// The alias-free copy did not compose: the same error the real text would give.
        case invalid(any Error)
    }

    /// Marks a stand-in for an alias; a private-use character no playbook has reason to contain.
    private static let aliasMarker: Unicode.Scalar = "\u{F8FE}"

    static func check(_ text: String) -> Verdict {
        guard text.utf8.contains(UInt8(ascii: "*")) else { return .safe }
        let copy = aliasFreeCopy(of: text)
        guard copy.aliases > 0 else { return .safe }
        let root: Node?
        do {
            WorkCounter.add(.yamlComposes)
            WorkCounter.add(.yamlComposedBytes, by: copy.text.utf8.count)
            root = try Yams.compose(yaml: copy.text)
        } catch {
            return .invalid(error)
        }
        guard let root else { return .safe }
        let measure = Measure(anchors: copy.anchors)
        _ = measure.visit(root)
        WorkCounter.add(.aliasGuardNodes, by: measure.visited)
        return measure.offending.map { .tooLarge(at: $0) } ?? .safe
    }

    /// An anchor as written: its name and where it starts.
    struct Anchor {
        let name: String
        let line: Int
        let column: Int
    }

    /// `text` with `&name` blanked and `*name` turned into `<marker>name`, wherever libyaml would read an
    /// anchor or alias token (and, harmlessly, in the same spots inside quoted scalars and comments).
    static func aliasFreeCopy(of text: String) -> (text: String, anchors: [Anchor], aliases: Int) {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        out.reserveCapacity(scalars.count)
        var anchors: [Anchor] = []
        var aliases = 0
        var (line, column) = (1, 1)
        var index = 0
        func isNameScalar(_ s: Unicode.Scalar) -> Bool {
            ("0"..."9").contains(s) || ("a"..."z").contains(s) || ("A"..."Z").contains(s) || s == "_" || s == "-"
        }
        let tokenStarts: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", "[", "{", ",", "\u{FEFF}"]
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "&" || scalar == "*", index == 0 || tokenStarts.contains(scalars[index - 1]),
               index + 1 < scalars.count, isNameScalar(scalars[index + 1]) {
                var end = index + 1
                while end < scalars.count, isNameScalar(scalars[end]) { end += 1 }
                let name = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
                if scalar == "&" {
                    anchors.append(Anchor(name: name, line: line, column: column))
                    out.append(contentsOf: repeatElement(" ", count: end - index))
                } else {
                    aliases += 1
                    out.append(aliasMarker)
                    out.append(contentsOf: scalars[(index + 1)..<end])
                }
                column += end - index
                index = end
                continue
            }
            out.append(scalar)
            if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" {
                out.append("\n")
                index += 1
            }
            if ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar) {
                (line, column) = (line + 1, 1)
            } else {
                column += 1
            }
            index += 1
        }
        return (String(out), anchors, aliases)
    }

    /// Depth and node count of the alias-free tree with every alias stand-in counted as its anchor's expansion.
    private final class Measure {
        private let anchors: [Anchor]
        private var nextAnchor = 0
        /// Expansion of each anchor name, the largest among its definitions so far (aliases use the latest
        /// definition; taking the largest can only over-estimate).
        private var expansions: [String: (depth: Int, nodes: Int)] = [:]
        private(set) var offending: Mark?
        private(set) var visited = 0

        init(anchors: [Anchor]) {
            self.anchors = anchors
        }

        /// Recursion is bounded by libyaml's 1000-level cap: this tree has no aliases.
        func visit(_ node: Node) -> (depth: Int, nodes: Int) {
            visited += 1
            let position = (node.mark?.line ?? 0, node.mark?.column ?? 0)
            // An anchor belongs to the first node (in document order) that starts at or after it.
            var attached: [String] = []
            while nextAnchor < anchors.count, (anchors[nextAnchor].line, anchors[nextAnchor].column) <= position {
                attached.append(anchors[nextAnchor].name)
                nextAnchor += 1
            }
            var result: (depth: Int, nodes: Int)
            switch node {
            case .scalar(let scalar):
                if scalar.style == .plain, scalar.string.unicodeScalars.first == AliasGuard.aliasMarker {
                    result = expansions[String(scalar.string.unicodeScalars.dropFirst())] ?? (1, 1)
                } else {
                    result = (1, 1)
                }
            case .sequence(let sequence):
                result = combine(sequence.map { visit($0) })
            case .mapping(let mapping):
                result = combine(mapping.flatMap { [visit($0.key), visit($0.value)] })
            case .alias:
                result = (1, 1)
            }
            if offending == nil, result.depth > AliasGuard.maximumDepth || result.nodes > AliasGuard.maximumNodes {
                offending = node.mark
            }
            for name in attached {
                let previous = expansions[name] ?? (0, 0)
                expansions[name] = (max(previous.depth, result.depth), max(previous.nodes, result.nodes))
            }
            return result
        }

        /// Saturates just past the limits, so exponential expansions never overflow.
        private func combine(_ children: [(depth: Int, nodes: Int)]) -> (depth: Int, nodes: Int) {
            let depth = min(1 + (children.map(\.depth).max() ?? 0), AliasGuard.maximumDepth + 1)
            let nodes = children.reduce(1) { min($0 + $1.nodes, AliasGuard.maximumNodes + 1) }
            return (depth, nodes)
        }
    }
}
