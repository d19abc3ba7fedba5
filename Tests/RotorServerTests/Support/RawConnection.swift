import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RotorTestSupport

/// A TCP connection to the service that sends raw bytes, for what an HTTP client will not do: stop
/// half-way through a request. Every blocking call runs on a thread of its own, off the cooperative pool.
struct RawConnection: Sendable {
    let fd: Int32

    /// Connects to 127.0.0.1:`port`. Reads give up after `timeout`, so a server that never closes fails
    /// the test instead of hanging it.
    static func open(port: Int, timeout: TimeInterval = 10) async throws -> RawConnection {
        try await onThread {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Socket.Failure(call: "socket", code: errno) }
            var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var address = Socket.loopback(port: UInt16(port))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { defer { Glibc.close(fd) }; throw Socket.Failure(call: "connect", code: errno) }
            return RawConnection(fd: fd)
        }
    }

    /// Sends `text` as it is; false when the server has already gone.
    @discardableResult
    func send(_ text: String) -> Bool { Socket.send(fd, Array(text.utf8)) }

    /// Sends `bytes` as they are; false when the server has already gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool { Socket.send(fd, bytes) }

    /// Tells the server nothing more is coming (the client went away half-way).
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Everything the server sends until it closes the connection, and whether it did close it (false:
    /// the read timed out with the connection still open).
    func readUntilClosed() async -> (text: String, closedByServer: Bool) {
        await Self.onThreadNonThrowing { [fd] in
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    received += chunk[..<count]
                    continue
                }
                let closed = count == 0 || errno == ECONNRESET
                return (String(decoding: received, as: UTF8.self), closed)
            }
        }
    }

    func close() { Glibc.close(fd) }

    private static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    private static func onThreadNonThrowing<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }
}
