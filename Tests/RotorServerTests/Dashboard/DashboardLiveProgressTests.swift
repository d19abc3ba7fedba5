import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorServer
import RotorTestSupport
import Testing

/// The live progress of a real rotation of a 4-target playbook, read from its server-sent events as they come over
/// a loopback connection: the 2nd and 3rd targets' writes are held until the stream has shown them, so the page is
/// seen saying "Redeploying services (2/4)…" with each target's state before the outcome: on SQLite and PostgreSQL.
@Suite("Dashboard live progress", .serialized)
struct DashboardLiveProgressTests {
    typealias Backend = DashboardWorld.Backend

    @Test(arguments: Backend.allCases)
    func theStreamShowsEachTargetBeingRedeployedBeforeTheOutcome(_ backend: Backend) async throws {
        let playbook = DashboardWorld.memoryPlaybook("four-targets", targets: 4)
        let world = try await DashboardWorld.make(backend, extraPlaybooks: [playbook])
        let planted = try await world.plant(playbook)
        // The runner writes the targets concurrently: service A goes live at once, B, C and D wait at their gates.
        let gates = [Gate(), Gate(), Gate()]
        world.providers.state.withLock { state in
            for (index, gate) in gates.enumerated() { state.beforeApply["four-targets:\(index + 1)"] = { await gate.wait() } }
        }
        try await world.live { client in
            defer { gates.forEach { $0.open() } }  // never leave the rotation held, whatever the test finds
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            try await browser.get("/ui/secrets/four-targets/rotate")
            let started = try await browser.post("/ui/secrets/four-targets/rotate", ["reason": "quarterly"])
            let location = try #require(started.headers[.location])
            let connection = try await RawConnection.open(port: try #require(client.port), timeout: 120)
            defer { connection.close() }
            connection.send("GET \(location)/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(try #require(browser.cookie))\r\n"
                + "Connection: close\r\n\r\n")
            var stream = ""
            let steps: [(text: String, states: [String])] = [
                ("Redeploying services (2/4)…", ["live", "redeploying", "redeploying", "redeploying"]),
                ("Redeploying services (3/4)…", ["live", "live", "redeploying", "redeploying"]),
                ("Redeploying services (4/4)…", ["live", "live", "live", "redeploying"]),
            ]
            for (index, step) in steps.enumerated() {
                stream += await connection.read(until: Self.shows(step.text))
                let event = try #require(ProgressEvent.parse(stream).first { $0.text == step.text }, "\(stream)")
                #expect(event.targets.map(\.label) == ["service A", "service B", "service C", "service D"])
                #expect(event.targets.map(\.state) == step.states, "\(step.text)")
                #expect(!event.done)
                gates[index].open()
            }
            stream += await connection.read(until: Self.shows(nil))
            #expect(stream.hasPrefix("HTTP/1.1 200"))
            #expect(stream.contains("text/event-stream"))
            let events = ProgressEvent.parse(stream)
            let outcome = try #require(events.last)
            #expect(outcome.done)
            #expect(outcome.outcome.hasPrefix("Succeeded. The old value stays valid until"))
            #expect(outcome.targets.map(\.state) == ["live", "live", "live", "live"])
            #expect(events.dropLast().allSatisfy { !$0.done }, "the outcome comes last")
            for value in world.secrets([planted]) { #expect(!stream.contains(value)) }
            #expect(world.providers.minted.count == 1)
        }
        await world.cleanup()
    }

    /// Enough read: an event says `text` (nil: the outcome), or the outcome came, or the stream has said nothing new
    /// for two minutes (it sends a comment every 10 s): then the test fails instead of waiting on.
    static func shows(_ text: String?) -> @Sendable (String) -> Bool {
        { stream in
            ProgressEvent.parse(stream).contains { $0.text == text || $0.done } || stream.components(separatedBy: ": waiting").count > 12
        }
    }
}
