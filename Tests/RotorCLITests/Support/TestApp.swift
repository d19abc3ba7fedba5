import Foundation
import Hummingbird
import Logging

/// A loopback app whose health endpoint answers 200 only when the token it is asked with is the one in
/// its .env file and that token is live at the vendor (and the `down` flag file is absent).
struct TestApp: Sendable {
    let url: String
    let task: Task<Void, Error>

    static func start(envFile: String, vendorState: String, downFlag: String) async throws -> TestApp {
        let router = Router()
        router.get("/health") { request, _ -> Response in
            let presented = request.headers.first { $0.name.canonicalName == "x-app-token" }?.value ?? ""
            let healthy = !FileManager.default.fileExists(atPath: downFlag)
                && presented == fileValue(envFile) && isLive(presented, vendorState)
            return Response(status: healthy ? .ok : .serviceUnavailable)
        }
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "e2e-app")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: logger)
        let task = Task { try await app.runService() }
        var port = 0
        for await bound in stream {
            port = bound
            break
        }
        return TestApp(url: "http://127.0.0.1:\(port)", task: task)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }

    static func fileValue(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("APP_TOKEN=") {
            return String(line.dropFirst("APP_TOKEN=".count))
        }
        return nil
    }

    static func isLive(_ value: String, _ statePath: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: statePath),
              let state = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let live = state["live"] as? [String: String] else { return false }
        return live.values.contains(value)
    }
}
