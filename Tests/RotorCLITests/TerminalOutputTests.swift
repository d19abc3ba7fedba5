import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// What the commands print for values they did not write: a reason, an actor or an error with control
/// characters is shown escaped, never acted on by the terminal; a misspelt secret is an error, not an empty history.
@Suite("Terminal output", .serialized)
struct TerminalOutputTests {
    /// Clears the screen, retitles the window, rings the bell and forges a line of output, if printed raw.
    static let hostile = "freeze\u{1B}[2J\u{1B}]0;owned\u{07}\r\nFAKE: all rotations verified"

    @Test(arguments: Backend.allCases)
    func reasonsActorsAndErrorsFromTheStoreAreShownEscaped(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            let hostile = Self.hostile
            try await world.withStore { tx, _ in
                let at = Date(timeIntervalSince1970: 1_767_225_600)
                try tx.insertRotation(RotationRecord(id: "rot_hostile", secretName: "app-token", trigger: .manual,
                                                     actor: "cli:\(hostile)", reason: hostile, state: .failed,
                                                     error: hostile, createdAt: at, updatedAt: at, completedAt: at))
                try tx.appendAudit(AuditEvent(at: at, subject: "app-token", subjectKind: "secret", action: "secret.skipped",
                                              trigger: "manual", actor: hostile, reason: hostile, outcome: "succeeded"))
            }
            for arguments in [["history", "app-token"], ["status"], ["status", "app-token"], ["audit", "export"]] {
                let result = try await world.run(arguments)
                #expect(result.status == 0, "\(arguments): \(result)")
                let controls = result.stdout.unicodeScalars.filter { ControlCharacters.isControl($0) && $0 != "\n" && $0 != "\r" }
                #expect(controls.isEmpty, "\(arguments) printed raw control characters: \(controls.map(\.value))")
                #expect(!result.stdout.contains("\nFAKE"), "\(arguments) let a value forge a line:\n\(result.stdout)")
                #expect(result.stdout.contains(#"freeze\e[2J\e]0;owned\u{7}\r\nFAKE"#), "\(arguments):\n\(result.stdout)")
            }
            // A file written with --out keeps the value as stored (CSV quoting carries the line break).
            let out = "\(world.dir)/audit.csv"
            #expect(try await world.run(["audit", "export", "--out", out]).status == 0)
            #expect(try String(contentsOfFile: out, encoding: .utf8).contains(hostile))
        }
    }

    @Test(arguments: Backend.allCases)
    func historyOfAnUnknownSecretFailsLikeStatusAndListsTheKnownOnes(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            let status = try await world.run(["status", "app-tokn"])
            let history = try await world.run(["history", "app-tokn"])
            #expect(status.status != 0)
            #expect(history.status == status.status, "\(history)")
            #expect(history.stderr.contains("no secret named app-tokn"), "\(history)")
            #expect(history.stderr.contains("known secrets: app-token"), "\(history)")
            #expect(try await world.run(["history", "app-token"]).status == 0)
        }
    }
}
