import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RotorServer
import RotorTestSupport
import Testing

/// What the service does with connections that stall, bodies that are too large, and clients that go
/// away: over a real socket, because an HTTP client never sends half a request.
@Suite("Connection limits")
struct ConnectionLimitTests {
    /// A short timeout, so a stalled connection is dropped well inside the socket's 10 s read limit.
    static let limits = ServiceLimits(idleTimeout: .milliseconds(300))

    @Test func aClientThatStopsHalfWayThroughItsHeadersIsDropped() async throws {
        let world = try await ServerWorld.make(limits: Self.limits)
        try await world.live { client in
            let port = try #require(client.port)
            // Several at once, as a slow-headers flood opens them: every one is dropped.
            var connections: [RawConnection] = []
            for _ in 0..<5 {
                let connection = try await RawConnection.open(port: port)
                connection.send("POST /v1/keys/verify HTTP/1.1\r\nHost: rotor\r\nContent-")
                connections.append(connection)
            }
            for connection in connections {
                let (text, closed) = await connection.readUntilClosed()
                #expect(closed, "the server kept a connection with half its headers open")
                #expect(text.isEmpty)
                connection.close()
            }
        }
    }

    @Test func aBodyThatNeverCompletesIsDropped() async throws {
        let (logger, logs) = CapturingLogHandler.logger(label: "rotor.server.tests")
        let world = try await ServerWorld.make(limits: Self.limits, logger: logger)
        try await world.live { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            connection.send("POST /v1/keys/verify HTTP/1.1\r\nHost: rotor\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{\"key\":")
            let (_, closed) = await connection.readUntilClosed()
            #expect(closed, "the server kept a connection whose body never came open")
            connection.close()
        }
        // The server dropped it: not a server error.
        #expect(!logs.all.contains { $0.hasPrefix("error") }, "\(logs.all.filter { $0.hasPrefix("error") })")
    }

    @Test func aClientThatAbortsItsRequestIsLoggedBelowErrorLevel() async throws {
        let (logger, logs) = CapturingLogHandler.logger(label: "rotor.server.tests")
        let world = try await ServerWorld.make(logger: logger)
        try await world.live { client in
            let connection = try await RawConnection.open(port: try #require(client.port))
            connection.send("POST /v1/keys/verify HTTP/1.1\r\nHost: rotor\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{\"key\":")
            connection.shutdownWrite()
            _ = await connection.readUntilClosed()
            connection.close()
            // The service still answers the next client.
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
        #expect(!logs.all.contains { $0.hasPrefix("error") }, "\(logs.all.filter { $0.hasPrefix("error") })")
    }

    @Test func anOversizedBodyIsAnswered413AndItsConnectionClosed() async throws {
        let world = try await ServerWorld.make()
        try await world.live { client in
            let port = try #require(client.port)
            // The whole body sent: the answer, then the end of the connection (not a wait for the next request).
            let whole = try await RawConnection.open(port: port)
            let body = String(repeating: "x", count: 20_000)
            whole.send("POST /v1/keys/verify HTTP/1.1\r\nHost: rotor\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
            let (answer, closed) = await whole.readUntilClosed()
            #expect(answer.hasPrefix("HTTP/1.1 413"))
            #expect(answer.lowercased().contains("connection: close"))
            #expect(answer.contains("larger than 16 KiB"))
            #expect(closed, "the connection stayed open after the 413")
            whole.close()

            // A body announced as huge is refused before it is read, and the connection closed.
            let huge = try await RawConnection.open(port: port)
            huge.send("POST /v1/replies HTTP/1.1\r\nHost: rotor\r\nContent-Length: 1000000000\r\n\r\n" + body)
            let (refusal, hugeClosed) = await huge.readUntilClosed()
            #expect(refusal.hasPrefix("HTTP/1.1 413"))
            #expect(hugeClosed, "the connection stayed open after the 413")
            huge.close()
        }
    }
}
