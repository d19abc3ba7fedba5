import Foundation
import RotorTestSupport
import Testing

/// The example playbooks shipped in Playbooks/ (and Playbooks/sandbox/) are what users copy: every one
/// must pass `rotor validate`, so none can claim an API or a field that does not exist.
@Suite("Example playbooks")
struct ExamplePlaybookTests {
    static let repository = #filePath.replacingOccurrences(of: "/Tests/RotorCLITests/ExamplePlaybookTests.swift", with: "")

    @Test(arguments: ["Playbooks", "Playbooks/sandbox"])
    func everyExamplePlaybookValidates(_ folder: String) async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            // The sandbox playbook alerts `ops`; a channel must be defined in rotor.yml (as the demo does).
            try "channels:\n  ops: { type: outbox }\n".write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
            let result = try await world.run(["validate", "\(Self.repository)/\(folder)"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("valid"), "\(result)")
        }
    }
}
