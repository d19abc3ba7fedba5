import Foundation
import RotorHTTP
import RotorTestSupport
import Testing

/// A headless Chromium driven over the W3C WebDriver protocol: Debian's `chromedriver` on a loopback port, spoken
/// to with the project's libcurl client. One browser session per instance; ``quit()`` ends it and the driver.
final class WebDriver: @unchecked Sendable {
    static let driverPath = "/usr/bin/chromedriver"
    static let browserPath = "/usr/bin/chromium"
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let process: Process
    let base: String
    let session: String
    let http = HTTPClient.shared

    /// Chromium and chromedriver from `make deps`; under CI=true their absence fails the test, elsewhere it skips it.
    static func required(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let present = FileManager.default.isExecutableFile(atPath: driverPath) && FileManager.default.isExecutableFile(atPath: browserPath)
        if present { return }
        let how = "install Debian's chromium and chromium-driver (`make deps`)"
        if ProcessInfo.processInfo.environment["CI"] == "true" { throw Failure(description: "no headless Chromium: \(how)") }
        Issue.record("SKIPPED browser case: \(how)", severity: .warning, sourceLocation: sourceLocation)
        try Test.cancel("Chromium unavailable")
    }

    /// Starts chromedriver and a headless browser `width` pixels wide.
    /// Files the browser downloads go to `downloads` (a folder), without asking; `javaScript: false` turns the page's
    /// scripts off (the dashboard must work without them).
    static func start(width: Int = 1280, height: Int = 900, downloads: String? = nil, javaScript: Bool = true) async throws -> WebDriver {
        try required()
        let port = Int.random(in: 20_000...40_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: driverPath)
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1", "--log-level=OFF"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let base = "http://127.0.0.1:\(port)"
        do {
            try await eventually("chromedriver answers", timeout: .seconds(30), every: .milliseconds(100)) {
                let status = try? await HTTPClient.shared.execute(HTTPRequest(url: base + "/status"))
                return status?.status == 200
            }
            let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": [
                "binary": browserPath,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=\(width),\(height)",
                         "--no-first-run", "--no-default-browser-check", "--disable-extensions"]
                    + (javaScript ? [] : ["--blink-settings=scriptEnabled=false"]),
                "prefs": ["download.default_directory": downloads ?? NSTemporaryDirectory(), "download.prompt_for_download": false,
                          "profile.managed_default_content_settings.javascript": javaScript ? 1 : 2],
            ]]]]
            let answer = try await call(base, "POST", "/session", capabilities)
            guard let session = (answer as? [String: Any])?["sessionId"] as? String else {
                throw Failure(description: "chromedriver started no session: \(String(describing: answer))")
            }
            return WebDriver(process: process, base: base, session: session)
        } catch {
            stop(process)
            throw error
        }
    }

    private init(process: Process, base: String, session: String) {
        self.process = process
        self.base = base
        self.session = session
    }

    func quit() async {
        _ = try? await Self.call(base, "DELETE", "/session/\(session)", nil)
        Self.stop(process)
    }

    /// chromedriver does not always stop on SIGTERM, and Foundation's `waitUntilExit` spins while it waits: SIGKILL
    /// (the browser session is closed already), then wait.
    static func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    // MARK: Commands

    func open(_ url: String) async throws { _ = try await command("POST", "/url", ["url": url]) }

    var url: String { get async throws { try await command("GET", "/url", nil) as? String ?? "" } }

    var source: String { get async throws { try await command("GET", "/source", nil) as? String ?? "" } }

    /// The first element matching `css`.
    func element(_ css: String) async throws -> String {
        let found = try await command("POST", "/element", ["using": "css selector", "value": css])
        guard let id = (found as? [String: Any])?[Self.elementKey] as? String else { throw Failure(description: "no element \(css)") }
        return id
    }

    func type(_ css: String, _ text: String) async throws {
        let id = try await element(css)
        _ = try await command("POST", "/element/\(id)/clear", [:])
        _ = try await command("POST", "/element/\(id)/value", ["text": text])
    }

    func click(_ css: String) async throws {
        _ = try await command("POST", "/element/\(try await element(css))/click", [:])
    }

    /// Clicks what submits a form or follows a link, and waits until the next page has loaded (a form's navigation
    /// starts after the click has returned).
    func clickAndLoad(_ css: String) async throws {
        _ = try await run("window.rotorOldPage = true")
        try await click(css)
        try await eventually("the next page has loaded after clicking \(css)", every: .milliseconds(50)) {
            try await run("return window.rotorOldPage === undefined && document.readyState === 'complete'") as? Bool == true
        }
    }

    /// Presses and releases each key of `keys` in turn on the focused element (WebDriver's actions: real key events,
    /// as a keyboard gives them), e.g. `Key.tab`.
    func press(_ keys: String) async throws {
        let strokes = keys.unicodeScalars.flatMap { key -> [[String: Any]] in
            [["type": "keyDown", "value": String(key)], ["type": "keyUp", "value": String(key)]]
        }
        _ = try await command("POST", "/actions", ["actions": [["type": "key", "id": "keyboard", "actions": strokes]]])
    }

    /// WebDriver's codes for the keys the accessibility tests press.
    enum Key {
        static let tab = "\u{E004}"
        static let enter = "\u{E007}"
    }

    /// Presses `key`, which makes the page navigate (Enter on a form's button), and waits until the next page has loaded.
    /// Works with the page's scripts off: the old page's root element goes stale once the new page replaced it.
    func pressAndLoad(_ key: String) async throws {
        let old = try await element("html")
        try await press(key)
        try await waitForNavigation(from: old, "pressing a key")
    }

    /// ``clickAndLoad(_:)`` for a browser whose page scripts are off.
    func clickAndLoadWithoutScripts(_ css: String) async throws {
        let old = try await element("html")
        try await click(css)
        try await waitForNavigation(from: old, "clicking \(css)")
    }

    private func waitForNavigation(from old: String, _ what: String) async throws {
        try await eventually("the next page has loaded after \(what)", every: .milliseconds(50)) {
            do {
                _ = try await command("GET", "/element/\(old)/name", nil)
                return false
            } catch {
                return (try? await element("body")) != nil
            }
        }
    }

    func text(_ css: String) async throws -> String {
        try await command("GET", "/element/\(try await element(css))/text", nil) as? String ?? ""
    }

    func attribute(_ css: String, _ name: String) async throws -> String? {
        try await command("GET", "/element/\(try await element(css))/attribute/\(name)", nil) as? String
    }

    /// Runs `script` in the page (WebDriver's own channel, not the page's CSP) and returns its value.
    func run(_ script: String) async throws -> Any? {
        try await command("POST", "/execute/sync", ["script": script, "args": []])
    }

    func resize(width: Int, height: Int) async throws {
        _ = try await command("POST", "/window/rect", ["width": width, "height": height])
    }

    /// Saves a PNG of the viewport under `.build/dashboard-screenshots/` (a test artifact, never committed).
    func screenshot(_ name: String) async throws {
        guard let base64 = try await command("GET", "/screenshot", nil) as? String, let data = Data(base64Encoded: base64) else {
            throw Failure(description: "no screenshot")
        }
        let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/dashboard-screenshots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try data.write(to: folder.appendingPathComponent("\(name).png"))
    }

    private func command(_ method: String, _ path: String, _ body: [String: Any]?) async throws -> Any? {
        try await Self.call(base, method, "/session/\(session)\(path)", body)
    }

    private static func call(_ base: String, _ method: String, _ path: String, _ body: [String: Any]?) async throws -> Any? {
        var request = HTTPRequest(method: HTTPMethod(rawValue: method) ?? .GET, url: base + path,
                                  headers: ["Content-Type": "application/json"],
                                  body: body.map { Array(try! JSONSerialization.data(withJSONObject: $0)) })
        request.timeout = .seconds(60)
        let response = try await HTTPClient.shared.execute(request)
        let json = try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed]) as? [String: Any]
        guard (200..<300).contains(response.status) else {
            let error = (json?["value"] as? [String: Any])?["message"] as? String ?? response.bodyText
            throw Failure(description: "WebDriver \(method) \(path): \(response.status) \(error.prefix(300))")
        }
        return json?["value"]
    }
}
