import Foundation
import RotorTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A port on 127.0.0.1 where a TCP connect hangs: a listening socket that never accepts, whose accept
/// queue is filled first. Linux then drops further SYNs without answering, which is what a
/// non-routable address looks like to a client, without sending a packet off this machine.
final class FullBacklogListener {
    let port: UInt16
    private let listener: Int32
    private var fillers: [Int32] = []

    init() throws {
        (listener, port) = try Socket.listen(backlog: 0)
        var address = Socket.loopback(port: port)
        // Connect until one connect does not complete: from then on the queue is full.
        for _ in 0..<16 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Socket.Failure(call: "socket", code: errno) }
            fillers.append(fd)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            if poll(&poller, 1, 200) == 0 { return }
        }
        throw Socket.Failure(call: "filling the accept queue of a non-accepting listener", code: EAGAIN)
    }

    deinit {
        for fd in fillers { close(fd) }
        close(listener)
    }

    var url: String { "http://127.0.0.1:\(port)/" }
}
