import Foundation
import Synchronization
import RotorHTTP
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for tests: POSIX sockets, an accept thread, one thread per
/// connection, keep-alive, and per path either a script of responses (the last one repeats) or a
/// handler that decides from the request.
///
/// `@unchecked Sendable` because all mutable state (`routes`, `handlers`, `recorded`,
/// `openConnections`, `unansweredClosed`, `isStopped`) is read and written only under `lock`; `port`
/// and `listener` are constants.
public final class TestHTTPServer: @unchecked Sendable {
    public let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var routes: [String: [TestHTTPResponse]] = [:]
    private var handlers: [String: @Sendable (RecordedRequest) -> TestHTTPResponse] = [:]
    private var recorded: [String: [RecordedRequest]] = [:]
    private var openConnections: Set<Int32> = []
    private var unansweredClosed = 0
    private var acceptedCount = 0
    private var isStopped = false

    /// Listens on an ephemeral port of 127.0.0.1 and starts accepting.
    public init() throws {
        (listener, port) = try Socket.listen(backlog: 128)
        Thread { [self] in acceptLoop() }.start()
    }

    deinit { stop() }

    /// A loopback port where nothing listens, so a connect is refused at once. The port stays bound (never
    /// listening) until the test process exits: a stopped server's port could be handed to another test's
    /// server running in parallel, which would then answer instead of refusing.
    public static func closedPort() async throws -> UInt16 {
        let (fd, port) = try Socket.boundNotListening()
        reservedPorts.withLock { $0.append(fd) }
        return port
    }

    private static let reservedPorts = Mutex<[Int32]>([])

    /// `http://127.0.0.1:PORT` followed by `path`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Answers requests to `path` (query ignored) with `responses` in turn, repeating the last.
    public func route(_ path: String, _ responses: TestHTTPResponse...) {
        lock.withLock { routes[path] = responses }
    }

    /// Answers requests to `path` with what `handler` returns for each; it runs on the connection's
    /// thread, outside the server's lock.
    public func route(_ path: String, handler: @escaping @Sendable (RecordedRequest) -> TestHTTPResponse) {
        lock.withLock { handlers[path] = handler }
    }

    /// Requests received on `path` so far, in arrival order.
    public func requests(to path: String) -> [RecordedRequest] {
        lock.withLock { recorded[path] ?? [] }
    }

    /// Connections that got no answer and were then closed by the client.
    public var unansweredConnectionsClosed: Int { lock.withLock { unansweredClosed } }

    /// Stops accepting and drops every open connection.
    public func stop() {
        // shutdown() wakes threads blocked in accept() or recv(); they close their own descriptors.
        // It runs under the lock that guards closing them, so it never hits a descriptor number that
        // was closed and reused by another socket in the meantime.
        lock.withLock {
            guard !isStopped else { return }
            isStopped = true
            shutdown(listener, Int32(SHUT_RDWR))
            for fd in openConnections { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            let connection: Int? = lock.withLock {
                guard fd >= 0, !isStopped else { return nil }
                openConnections.insert(fd)
                acceptedCount += 1
                return acceptedCount
            }
            guard let connection else {
                if fd >= 0 { close(fd) }
                if lock.withLock({ isStopped }) { break } else { continue }
            }
            Thread { [self] in serve(fd, connection: connection) }.start()
        }
        close(listener)
    }

    private func serve(_ fd: Int32, connection: Int) {
        var buffer: [UInt8] = []
        while var request = Socket.readRequest(fd, buffer: &buffer) {
            request.connection = connection
            let path = String(request.target.split(separator: "?", maxSplits: 1).first ?? "")
            let (scripted, handler): (TestHTTPResponse?, (@Sendable (RecordedRequest) -> TestHTTPResponse)?) = lock.withLock {
                let seen = recorded[path, default: []].count
                recorded[path, default: []].append(request)
                if let handler = handlers[path] { return (nil, handler) }
                guard let script = routes[path], !script.isEmpty else {
                    return (.text("no route for \(path)", status: 404), nil)
                }
                return (script[min(seen, script.count - 1)], nil)
            }
            guard let response = scripted ?? handler?(request) else { break }
            if response.neverAnswer {
                Socket.waitForClose(fd)
                lock.withLock { unansweredClosed += 1 }
                break
            }
            if response.delay > .zero { Thread.sleep(forTimeInterval: response.delay / .seconds(1)) }
            guard Socket.send(fd, Self.encode(response, forHEAD: request.method == "HEAD")) else { break }
            if response.omitContentLength { break }
        }
        lock.withLock {
            openConnections.remove(fd)
            close(fd)
        }
    }

    private static func encode(_ response: TestHTTPResponse, forHEAD: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(response.status) \(reason(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += response.omitContentLength ? "Connection: close\r\n" : "Content-Length: \(response.body.count)\r\n"
        head += "\r\n"
        return Array(head.utf8) + (forHEAD ? [] : response.body)
    }

    private static func reason(_ status: Int) -> String {
        [200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 400: "Bad Request",
         401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests",
         500: "Internal Server Error", 503: "Service Unavailable"][status] ?? "Status"
    }
}
