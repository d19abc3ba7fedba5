import Foundation
import Testing
import RotorCore

/// `stages:`: an ordered list of `{ name, targets, checks, approve }` instead of top-level targets and checks. What
/// parses, and what `rotor validate` says about what does not, with where and what to do.
@Suite("Staged playbooks")
struct StagedPlaybookTests {
    static let head = """
        secret: s
        source: {provider: random}

        """
    static let file = "{provider: file, path: .env, key: K}"
    static let check = "{provider: http, url: \"https://app.example/health\"}"

    func parse(_ yaml: String) -> (Playbook?, [Diagnostic]) {
        TestCatalog.parser.parse(file: "Playbooks/test.yml", text: yaml)
    }

    func problems(_ yaml: String) -> [String] {
        let (playbook, diagnostics) = parse(yaml)
        #expect(playbook == nil)
        return diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" + ($0.hint.map { " (\($0))" } ?? "") }
    }

    @Test func stagesFlattenInOrderWithEachStageASliceAndItsApproval() throws {
        let (parsed, diagnostics) = parse(Self.head + """
            stages:
              - name: staging
                targets: [\(Self.file), \(Self.file)]
                checks: [\(Self.check)]
              - name: production
                approve: true
                targets: [\(Self.file)]
                checks: [\(Self.check), \(Self.check)]
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let playbook = try #require(parsed)
        #expect(playbook.targets.count == 3 && playbook.checks.count == 3)
        #expect(playbook.targets.map(\.index) == [0, 1, 2], "every target keeps one index, as its journal steps do")
        #expect(playbook.stages == [PlaybookStage(name: "staging", targets: 0..<2, checks: 0..<1),
                                    PlaybookStage(name: "production", targets: 2..<3, checks: 1..<3, approve: true)])
        #expect(playbook.isStaged && playbook.stagePlan == playbook.stages)
    }

    @Test func aPlaybookWithoutStagesIsOneImplicitStage() throws {
        let (parsed, _) = parse(Self.head + "targets: [\(Self.file)]\nchecks: [\(Self.check)]\n")
        let playbook = try #require(parsed)
        #expect(!playbook.isStaged)
        #expect(playbook.stagePlan == [PlaybookStage(name: "all", targets: 0..<1, checks: 0..<1)])
    }

    @Test func stagesBesideTopLevelTargetsOrChecksAreRefused() {
        let both = problems(Self.head + "targets: [\(Self.file)]\nstages:\n  - { name: a, targets: [\(Self.file)] }\n")
        #expect(both == ["3:1 the playbook has both 'stages' and top-level 'targets' (move the top-level targets into one of the stages, or drop stages:)"])
        let checks = problems(Self.head + "checks: [\(Self.check)]\nstages:\n  - { name: a, targets: [\(Self.file)] }\n")
        #expect(checks.first?.contains("both 'stages' and top-level 'checks'") == true, "\(checks)")
    }

    @Test func duplicateMissingAndBadNamesAreRefused() {
        let duplicate = problems(Self.head + "stages:\n  - { name: a, targets: [\(Self.file)] }\n  - { name: a, targets: [\(Self.file)] }\n")
        #expect(duplicate == ["5:5 stage name 'a' is used twice (give each stage its own name)"])
        let missing = problems(Self.head + "stages:\n  - { targets: [\(Self.file)] }\n")
        #expect(missing == ["4:5 missing required key 'name' in stages[0] (name the stage, e.g. name: staging)"])
        let bad = problems(Self.head + "stages:\n  - { name: \"Prod Env\", targets: [\(Self.file)] }\n")
        #expect(bad.first?.hasPrefix("4:13 stage name 'Prod Env' is not allowed") == true, "\(bad)")
        let notText = problems(Self.head + "stages:\n  - { name: [a], targets: [\(Self.file)] }\n")
        #expect(notText.first?.contains("expected a string for 'stages[0].name', got a list") == true, "\(notText)")
    }

    @Test func emptyStagesAndStagesWithoutTargetsAreRefused() {
        #expect(problems(Self.head + "stages: []\n")
                == ["3:9 'stages' is empty (list at least one stage with its targets, or use top-level targets: instead)"])
        #expect(problems(Self.head + "stages:\n  - { name: a }\n")
                == ["4:5 missing required key 'targets' in stages[0] (a stage writes the new value somewhere: list its targets)"])
        #expect(problems(Self.head + "stages:\n  - { name: a, targets: [], checks: [\(Self.check)] }\n")
                == ["4:25 'stages[0].targets' is empty (a stage writes the new value somewhere: list its targets)"])
        #expect(problems(Self.head + "stages: {name: a}\n").first?.contains("expected a list of stages") == true)
        let scalar = problems(Self.head + "stages:\n  - staging\n")
        #expect(scalar.first?.contains("expected a mapping with name:, targets: and checks: for 'stages[0]', got a string") == true, "\(scalar)")
    }

    @Test func unknownKeysWrongApprovalsAndBrokenProvidersInAStageAreReportedWhereTheyAre() {
        let typo = problems(Self.head + "stages:\n  - { name: a, targets: [\(Self.file)], aprove: true }\n")
        #expect(typo == ["4:65 unknown key 'aprove' in stages[0] (did you mean 'approve'?)"], "\(typo)")
        let approve = problems(Self.head + "stages:\n  - { name: a, approve: yes please, targets: [\(Self.file)] }\n")
        #expect(approve.first?.contains("expected true or false for 'stages[0].approve'") == true, "\(approve)")
        let provider = problems(Self.head + "stages:\n  - { name: a, targets: [{provider: fiel, path: .env, key: K}] }\n")
        #expect(provider.first?.contains("unknown target provider 'fiel'") == true, "\(provider)")
        let keyTable = problems("secret: keys\nsource: {provider: key-table}\nstages:\n  - { name: a, targets: [\(Self.file)] }\n")
        #expect(keyTable.contains { $0.contains("a key-table playbook has no stages") }, "\(keyTable)")
    }

    @Test func hostileAndHugeStageListsAreRefusedWithoutTrouble() {
        let many = (0..<40).map { "  - { name: s\($0), targets: [\(Self.file)] }" }.joined(separator: "\n")
        #expect(problems(Self.head + "stages:\n" + many + "\n") == ["4:3 40 stages is more than the 16 a playbook may have (group targets into fewer stages)"])
        let aliases = Self.head + "x-t: &t \(Self.file)\nstages:\n" + (0..<3).map { "  - { name: s\($0), targets: [*t, *t] }" }.joined(separator: "\n") + "\n"
        let (parsed, diagnostics) = parse(aliases)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(parsed?.targets.count == 6)
        let nested = problems(Self.head + "stages: " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "\n")
        #expect(!nested.isEmpty)
        let longName = problems(Self.head + "stages:\n  - { name: \(String(repeating: "a", count: 5_000)), targets: [\(Self.file)] }\n")
        #expect(longName.count == 1 && longName[0].contains("is not allowed") && longName[0].count < 400, "\(longName)")
    }
}
