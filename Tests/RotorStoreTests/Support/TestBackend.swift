import Testing

/// The backends every conformance test runs against.
enum TestBackend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let all: [TestBackend] = allCases

    var testDescription: String { rawValue }
}
