import Foundation
import RotorHTTP
#if canImport(Glibc)
import Glibc
#endif

/// Blocking POSIX socket helpers for the test servers. Every call blocks: use them on threads of their own,
/// never on the cooperative pool.
public enum Socket {
    /// A socket call that failed, with the errno it left.
    public struct Failure: Error, CustomStringConvertible {
        /// The call that failed, or what the caller was doing.
        public let call: String
        /// The errno value.
        public let code: Int32

        public init(call: String, code: Int32) {
            self.call = call
            self.code = code
        }

        public var description: String { "\(call) failed: \(String(cString: strerror(code))) (errno \(code))" }
    }

    /// A TCP socket listening on 127.0.0.1 on an ephemeral port, and that port.
    public static func listen(backlog: Int32) throws -> (fd: Int32, port: UInt16) {
        try bound(listening: backlog)
    }

    /// A TCP socket bound to an ephemeral port of 127.0.0.1 that never listens, and that port: a connect to
    /// it is refused at once, and no other socket of this machine can take the port while `fd` is open.
    public static func boundNotListening() throws -> (fd: Int32, port: UInt16) {
        try bound(listening: nil)
    }

    private static func bound(listening backlog: Int32?) throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", code: errno) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { defer { close(fd) }; throw Failure(call: "bind", code: errno) }
        if let backlog, Glibc.listen(fd, backlog) != 0 { defer { close(fd) }; throw Failure(call: "listen", code: errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { defer { close(fd) }; throw Failure(call: "getsockname", code: errno) }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// 127.0.0.1 at `port`, as the socket calls take it.
    public static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Reads one request (head and Content-Length body) from `fd`; nil when the peer closed first.
    public static func readRequest(_ fd: Int32, buffer: inout [UInt8]) -> RecordedRequest? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            if let end = buffer.firstRange(of: separator)?.upperBound { headEnd = end; break }
            guard receive(fd, into: &buffer) else { return nil }
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: buffer[..<(headEnd - separator.count)], as: UTF8.self)
            .components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(name: String(line[..<colon]),
                        value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = headers["Content-Length"].flatMap { Int($0) } ?? 0
        while buffer.count < headEnd + length {
            guard receive(fd, into: &buffer) else { return nil }
        }
        let body = Array(buffer[headEnd..<(headEnd + length)])
        buffer.removeFirst(headEnd + length)
        return RecordedRequest(method: String(requestLine[0]), target: String(requestLine[1]),
                               headers: headers, body: body, receivedAt: .now)
    }

    /// Blocks until the peer closes the connection (or it is shut down), discarding anything sent.
    public static func waitForClose(_ fd: Int32) {
        var sink: [UInt8] = []
        while receive(fd, into: &sink) { sink.removeAll(keepingCapacity: true) }
    }

    /// Sends all of `bytes`; false when the peer has gone.
    public static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    private static func receive(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }
}
