import Yams

/// Collects the diagnostics of one file, at the positions of YAML nodes, up to a limit so that hostile
/// input (a list of a million wrong items) cannot flood the output.
final class DiagnosticSink {
    static let limit = 200

    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    private var truncation: Diagnostic?

    init(file: String) {
        self.file = file
    }

    var isEmpty: Bool { diagnostics.isEmpty }
    var count: Int { diagnostics.count }

    func location(of node: Node?) -> PlaybookLocation {
        location(of: node?.mark)
    }

    func location(of mark: Mark?) -> PlaybookLocation {
        PlaybookLocation(file: file, line: max(mark?.line ?? 1, 1), column: max(mark?.column ?? 1, 1))
    }

    /// Whether further reports are dropped; message and hint are then not even built.
    var isFull: Bool { truncation != nil }

    func report(_ node: Node?, _ message: @autoclosure () -> String, hint: @autoclosure () -> String? = nil) {
        guard !isFull else { return }
        report(at: location(of: node), message(), hint: hint())
    }

    func report(at location: PlaybookLocation, _ message: @autoclosure () -> String, hint: @autoclosure () -> String? = nil) {
        guard !isFull else { return }
        if diagnostics.count >= Self.limit {
            truncation = Diagnostic(location: location, message: "too many problems; stopped after \(Self.limit)",
                                    hint: "fix these and validate again")
            return
        }
        WorkCounter.add(.diagnosticsBuilt)
        diagnostics.append(Diagnostic(location: location, message: message(), hint: hint()))
    }

    /// The diagnostics in position order (stable for equal positions), any truncation notice last.
    var sorted: [Diagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element.location, rhs.element.location)
            return (a.line, a.column, lhs.offset) < (b.line, b.column, rhs.offset)
        }.map(\.element) + (truncation.map { [$0] } ?? [])
    }
}
