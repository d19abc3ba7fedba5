import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorServer
import RotorTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What the page content tests add to the dashboard's world: playbooks of their own, values planted in the store
/// that no page may show, the service over a loopback port (to read server-sent events as they come), and ways to
/// pick a part of a page without depending on the rest of it.
extension DashboardWorld {
    static let day: TimeInterval = 86_400

    /// A playbook of in-memory providers with `targets` targets (labelled "service A", "service B", …) and one check.
    static func memoryPlaybook(_ secret: String, targets: Int = 1, every: TimeInterval = 30 * day, warnBefore: [TimeInterval] = [7 * day],
                               maxAge: TimeInterval = 90 * day) -> Playbook {
        func config(_ kind: ProviderKind, _ index: Int, _ label: String) -> ProviderConfig {
            ProviderConfig(provider: "memory", kind: kind, index: index, label: label, fields: [:],
                           location: PlaybookLocation(file: "\(secret).yml", line: 1, column: 1))
        }
        let letters = Array("ABCDEFGH")
        return Playbook(file: "\(secret).yml", secret: secret, owner: "platform-team",
                        schedule: ScheduleSpec(rule: .every(.seconds(Int64(every))), warnBefore: warnBefore.map { .seconds(Int64($0)) }),
                        policy: RotationPolicy(maxAge: .seconds(Int64(maxAge))), source: config(.source, 0, "memory source"),
                        targets: (0..<targets).map { config(.target, $0, "service \(letters[$0])") },
                        checks: [config(.check, 0, "memory check")])
    }

    /// The key-table playbook: Rotor manages the company's customer keys, of at most `maxAge`.
    static func keyTablePlaybook(maxAge: TimeInterval) -> Playbook {
        Playbook(file: "customer-api-keys.yml", secret: "customer-api-keys", owner: "platform-team",
                 schedule: ScheduleSpec(rule: .every(.seconds(Int64(maxAge))), warnBefore: [.seconds(Int64(10 * day))]),
                 policy: RotationPolicy(maxAge: .seconds(Int64(maxAge))),
                 source: ProviderConfig(provider: Playbook.keyTableProvider, kind: .source, index: 0, label: "customer keys", fields: [:],
                                        location: PlaybookLocation(file: "customer-api-keys.yml", line: 1, column: 1)))
    }

    /// Imports a value for `secret` that no page may show; returns it.
    @discardableResult
    func plant(_ playbook: Playbook) async throws -> String {
        let value = "sk-planted-\(playbook.secret)-\(UUID().uuidString)"
        _ = try await app.secrets.importCurrent(playbook, value: SecretValue(value), handle: "planted", actor: "tests", replace: false)
        return value
    }

    /// Runs `body` against the service over real HTTP on a loopback port; the store stays open for the test's checks
    /// (the test ends with ``cleanup``).
    func live(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        do {
            try await service.application(host: "127.0.0.1", port: 0).test(.live) { try await body($0) }
        } catch {
            await cleanup()
            throw error
        }
    }

    /// Follows a rotation's server-sent events to the end (the router client answers once the stream is done).
    func follow(_ browser: DashboardClient, _ location: String) async throws -> [ProgressEvent] {
        let parts = location.split(separator: "?", maxSplits: 1)
        let path = "\(parts[0])/events" + (parts.count > 1 ? "?\(parts[1])" : "")
        let events = ProgressEvent.parse(String(buffer: try await browser.get(path).body))
        #expect(events.last?.done == true, "\(location) did not reach its outcome")
        return events
    }

    /// Every value a page must never show: the canary, the people's tokens, and every value minted in the world.
    func secrets(_ more: [String] = []) -> [String] {
        [Self.canary, Self.operatorToken, Self.viewerToken, Self.adminToken] + providers.minted + more
    }
}

/// One `progress` event of the live progress stream, as the page's script reads it.
struct ProgressEvent: Decodable, Equatable {
    struct Target: Decodable, Equatable {
        var label: String
        var state: String
    }

    var rotation: String
    var state: String
    var text: String
    var targets: [Target]
    var done: Bool
    var outcome: String

    /// The `data:` lines of `stream` (raw HTTP, chunked or not: an event is written in one piece), in order.
    static func parse(_ stream: String) -> [ProgressEvent] {
        stream.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("data: {") else { return nil }
            return try? JSONDecoder().decode(ProgressEvent.self, from: Data(line.dropFirst("data: ".count).utf8))
        }
    }
}

/// A door a provider waits at until the test opens it: a write held without sleeping.
final class Gate: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() { (stream, continuation) = AsyncStream.makeStream() }

    func wait() async { for await _ in stream {} }
    func open() { continuation.finish() }
}

extension RawConnection {
    /// Reads what the server sends until `enough` holds for everything read so far, the server closes, or a read
    /// times out; returns everything read.
    func read(until enough: @escaping @Sendable (String) -> Bool) async -> String {
        await withCheckedContinuation { continuation in
            Thread { [fd] in
                var received: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 4096)
                while !enough(String(decoding: received, as: UTF8.self)) {
                    let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    guard count > 0 else { break }
                    received += chunk[..<count]
                }
                continuation.resume(returning: String(decoding: received, as: UTF8.self))
            }.start()
        }
    }
}

/// Parts of a page, found by the text around them, so that what other parts of the page add does not matter.
enum PagePart {
    /// From the first `start` to the next `end` after it; empty when `start` is absent.
    static func between(_ html: String, _ start: String, _ end: String) -> String {
        guard let from = html.range(of: start) else { return "" }
        let rest = html[from.upperBound...]
        return String(rest[..<(rest.range(of: end)?.lowerBound ?? rest.endIndex)])
    }

    /// The opening tag just before the first `text`: what a word is wrapped in (its class, its tone).
    static func tag(before text: String, in html: String) -> String {
        guard let at = html.range(of: text) else { return "" }
        let head = html[..<at.lowerBound]
        guard let open = head.range(of: "<", options: .backwards) else { return "" }
        return String(head[open.lowerBound...])
    }

    /// The text of each cell of a table row, without the markup inside it.
    static func cells(_ row: String) -> [String] {
        row.components(separatedBy: "<td").dropFirst().map { cell in
            let inner = cell.drop { $0 != ">" }.dropFirst()
            let content = inner[..<(inner.range(of: "</td>")?.lowerBound ?? inner.endIndex)]
            return String(content).replacing(/<[^>]*>/, with: "")
        }
    }

    /// The secrets `html` links to, in order.
    static func secretLinks(_ html: String) -> [String] {
        html.components(separatedBy: "href=\"/ui/secrets/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    /// The calendar's row for `day` (yyyy-MM-dd).
    static func calendarDay(_ html: String, _ day: String) -> String {
        between(html, ">\(day)</th>", "</tr>")
    }

    /// The secret page's card of rotation `id`.
    static func rotationCard(_ html: String, _ id: String) -> String {
        html.components(separatedBy: "<section").first { $0.contains(">\(id)</a>") } ?? ""
    }

    /// UTC day and minute, as the dashboard writes them.
    static func day(_ date: Date) -> String { format(date, "yyyy-MM-dd") }
    static func time(_ date: Date) -> String { format(date, "yyyy-MM-dd HH:mm 'UTC'") }

    private static func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
