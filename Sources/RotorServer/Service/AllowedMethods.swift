import Hummingbird
import Synchronization

/// The methods each registered path takes, so that a known path asked with another method is answered
/// 405 with `Allow` rather than the 404 of an unknown path. Filled from the router once every route is
/// registered (``RotorService/buildRouter()``), read by ``ErrorMiddleware``.
final class AllowedMethods: Sendable {
    private let routes = Mutex<[(segments: [Substring], method: HTTPRequest.Method)]>([])

    /// Records the router's routes; every GET also takes HEAD, which the router adds when it builds its responder.
    func record(_ routes: [Router<RotorRequestContext>.RouteDescription]) {
        let table = routes.flatMap { route -> [(segments: [Substring], method: HTTPRequest.Method)] in
            let segments = route.path.description.split(separator: "/")
            return route.method == .get ? [(segments, .get), (segments, .head)] : [(segments, route.method)]
        }
        self.routes.withLock { $0 = table }
    }

    /// The methods `path` takes, sorted; empty when no route has that path.
    func methods(for path: String) -> [String] {
        let asked = path.split(separator: "/")
        let methods = routes.withLock { table in
            table.filter { Self.matches($0.segments, asked) }.map(\.method.rawValue)
        }
        return Set(methods).sorted()
    }

    /// A route segment `{name}` (a parameter, as the router spells it) matches any one segment; any other matches itself.
    private static func matches(_ route: [Substring], _ asked: [Substring]) -> Bool {
        route.count == asked.count && zip(route, asked).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
}
