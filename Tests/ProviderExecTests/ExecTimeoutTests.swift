import Foundation
import ProviderExec
import RotorCore
import RotorTestSupport
import Testing

@Suite("exec: timeouts")
struct ExecTimeoutTests {
    /// Commands that outlast a 1 s timeout. `MARKER` is a sleep length no other process on the machine has,
    /// `DIR` a folder for the grandchild's pid.
    static let stubborn = [
        // A grandchild inherits stdout and stderr: killing only `sh` would leave it holding the pipes, and a reader
        // waiting for end of file would wait for it forever.
        "sleep MARKER & echo $! > DIR/grandchild; sleep MARKER",
        // The pipes close at once, but the command (and a grandchild) keep running.
        "exec >/dev/null 2>&1 </dev/null; sleep MARKER & echo $! > DIR/grandchild; sleep MARKER",
    ]

    @Test(arguments: stubborn)
    func aTimeoutKillsTheCommandsWholeProcessGroup(_ template: String) async throws {
        let dir = try ExecFolder()
        let marker = "4242.\(UInt32.random(in: 100_000_000...999_999_999))"
        let script = template.replacingOccurrences(of: "MARKER", with: marker).replacingOccurrences(of: "DIR", with: dir.path)
        let playbook = try ExecPlaybooks.parse(check: "timeout: 1s\ncommand: [/bin/sh, -c, \"\(script)\"]")
        let check = ExecCheck(config: try #require(playbook.checks.first))
        try await withCleanup({
            Processes.killAll(withArgument: marker)
            dir.remove()
        }) {
            let outcome = try await bounded(.seconds(20)) { () -> String in
                do {
                    try await check.verify(SecretValue("the-value-under-test"), stepContext(step: .verify(0)))
                    return "passed"
                } catch {
                    return "\(error)"
                }
            }
            let message = try #require(outcome, "a 1 s timeout did not end the call within 20 s")
            #expect(message == "exec sh verify: timed out after 1s")
            let grandchild = try String(contentsOfFile: "\(dir.path)/grandchild", encoding: .utf8)
            #expect(Int32(grandchild.trimmingCharacters(in: .whitespacesAndNewlines)) != nil, "the grandchild was started")
            #expect(Processes.alive(withArgument: marker).isEmpty, "a process of the command's group outlived the timeout")
        }
    }

    /// A command may exit without reading its request; Rotor must neither hang on the write nor die of SIGPIPE.
    @Test func aCommandThatIgnoresItsInputStillSucceeds() async throws {
        let playbook = try ExecPlaybooks.parse(target: "command: [/bin/true]\ntimeout: 10s")
        let target = ExecTarget(config: try #require(playbook.targets.first))
        let large = String(repeating: "x", count: 512 << 10)
        let finished = try await bounded(.seconds(60)) {
            try await target.apply(SecretValue(large), stepContext(step: .propagate(0)))
            return true
        }
        #expect(finished == true)
    }

    @Test func theExitStatusAndStdoutOfAQuickCommandArriveWhole() async throws {
        let runner = ExecRunner(command: ["/bin/sh", "-c", "cat; printf '%070000d' 0; exit 4"], timeout: .seconds(10))
        let result = try await runner.run(input: ["action": .string("mint")], secrets: [])
        #expect(result.status == 4 && !result.timedOut)
        #expect(result.stdout.count == #"{"action":"mint"}"#.utf8.count + 70_000)
        #expect(String(decoding: result.stdout.prefix(17), as: UTF8.self) == #"{"action":"mint"}"#)
    }
}
