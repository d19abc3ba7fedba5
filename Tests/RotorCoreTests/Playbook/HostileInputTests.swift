import Foundation
import Testing
import RotorCore

/// Input written to hurt: each case must end in a clear diagnostic, without a crash, with bounded work.
///
/// The work is counted (documents and bytes handed to Yams, nodes the alias guard measured, diagnostics
/// built), not timed: a time bound fails on a loaded CI machine and passes on a fast one whatever the parser
/// does, while a count fails exactly when the parser starts doing the work the guard exists to avoid.
@Suite("Hostile input")
struct HostileInputTests {
    private func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ([Diagnostic], WorkCounter) {
        let ((playbook, diagnostics), work) = WorkCounter.measure {
            TestCatalog.parser.parse(file: "hostile.yml", text: text)
        }
        #expect(playbook == nil, sourceLocation: sourceLocation)
        // At most the alias guard's copy and the text itself, each composed once: no retries on hostile input.
        #expect(work[.yamlComposes] <= 2, "composed \(work[.yamlComposes]) times", sourceLocation: sourceLocation)
        #expect(work[.yamlComposedBytes] <= 2 * text.utf8.count, sourceLocation: sourceLocation)
        return (diagnostics, work)
    }

    @Test func twoMebibyteTextIsRefusedUnparsed() {
        let text = "secret: s\ndescription: " + String(repeating: "x", count: 2 << 20) + "\n"
        let (diagnostics, work) = parse(text)
        #expect(work[.yamlComposes] == 0)
        #expect(work[.yamlComposedBytes] == 0)
        #expect(diagnostics.map(\.description) == [
            "hostile.yml:1:1: error: the file is \(text.utf8.count) bytes; playbooks are limited to 1 MiB (1048576 bytes) (a playbook describes one secret; this is probably not a playbook)",
        ])
    }

    /// The nesting kinds, named briefly so the test log does not print 10 000 brackets.
    enum Nesting: String, CaseIterable, CustomTestStringConvertible {
        case flowSequences, flowMappings, blockSequences
        var testDescription: String { rawValue }
        var text: String {
            switch self {
            case .flowSequences: String(repeating: "[", count: 10_000)
            case .flowMappings: String(repeating: "{a: ", count: 10_000)
            case .blockSequences: String(repeating: "- ", count: 10_000) + "x"
            }
        }
    }

    @Test(arguments: Nesting.allCases)
    func tenThousandLevelsOfNestingAreRefused(_ nesting: Nesting) {
        let (diagnostics, work) = parse(nesting.text)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message == "the YAML nests deeper than 1000 levels")
        // libyaml gave up at its nesting limit on the one pass over the text.
        #expect(work[.yamlComposes] == 1)
    }

    @Test func printableJunkWithControlCharactersIsRefused() {
        var generator = SplitMix64(seed: 7)
        let junk = String(decoding: (0..<65_536).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, as: UTF8.self)
        let (diagnostics, _) = parse(junk)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.hasPrefix("the file contains characters YAML does not allow") == true)
    }

    @Test func billionLaughsInARequestBodyIsRefused() {
        var text = "l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n"
        for level in 1...9 {
            text += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        text += "secret: s\nsource: {provider: http, value: /v, mint: {url: 'https://h.example/', body: *l9}}\n"
        let (diagnostics, work) = parse(text)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("with its aliases expanded, this document has more than 100000 values") == true)
        expectRefusedByTheAliasGuard(work, text: text)
    }

    @Test func billionLaughsAsAMappingKeyIsRefusedBeforeYamsHashesIt() {
        var text = "a0: &a0 [x, x]\n"
        for level in 1...40 { text += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]\n" }
        text += "? *a40\n: boom\n"
        let (diagnostics, work) = parse(text)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("with its aliases expanded") == true)
        expectRefusedByTheAliasGuard(work, text: text)
    }

    @Test func aliasChainTooDeepToFreeRecursivelyIsRefused() {
        // Each anchor wraps an alias of the previous one: ~80 000 levels in under 1 MiB. Composed and then
        // freed by Yams, such a tree overflows the stack; it must be refused before that.
        var text = "- &0 [x]\n"
        var level = 1
        while text.utf8.count < 1_000_000 {
            text += "- &\(String(level, radix: 36)) [*\(String(level - 1, radix: 36))]\n"
            level += 1
        }
        let (diagnostics, work) = parse(text)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("200 levels") == true)
        expectRefusedByTheAliasGuard(work, text: text)
    }

    @Test func aMebibyteOfDuplicateKeysIsReportedOnceWithoutRecomposingForEach() {
        var text = "secret: s\n"
        while text.utf8.count < 1_000_000 { text += "grace: 1h\n" }
        let (diagnostics, work) = parse(text)
        #expect(diagnostics.map(\.description) == [
            "hostile.yml:2:1: error: duplicate key 'grace' in this mapping (each key may appear once in a mapping)",
        ])
        // Too large to recover from duplicates by renaming and composing again: one compose, one report.
        #expect(work[.yamlComposes] == 1)
        #expect(work[.diagnosticsBuilt] == 1)
    }

    @Test func aMebibyteOfUnknownKeysStopsReportingAtTheLimit() {
        var text = "secret: s\n"
        var index = 0
        while text.utf8.count < 1_000_000 {
            text += "k\(index): v\n"
            index += 1
        }
        let (diagnostics, work) = parse(text)
        #expect(diagnostics.count == 201)
        #expect(diagnostics.last?.message == "too many problems; stopped after 200")
        // Tens of thousands of unknown keys, but messages and did-you-mean hints are built only for the first 200.
        #expect(index > 10_000)
        #expect(work[.yamlComposes] == 1)
        #expect(work[.diagnosticsBuilt] == 200)
    }

    /// The alias guard refused the text from its alias-free copy: the text itself never reached Yams, and
    /// the guard visited the nodes as written (at most one per byte), not the expansion it refused.
    private func expectRefusedByTheAliasGuard(_ work: WorkCounter, text: String,
                                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(work[.yamlComposes] == 1, "composed \(work[.yamlComposes]) times", sourceLocation: sourceLocation)
        #expect(work[.aliasGuardNodes] > 0, sourceLocation: sourceLocation)
        #expect(work[.aliasGuardNodes] <= text.utf8.count, "visited \(work[.aliasGuardNodes]) nodes",
                sourceLocation: sourceLocation)
    }
}
