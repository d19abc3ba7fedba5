import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorServer
import RotorTestSupport
import Testing

/// Every dashboard page in a real headless Chromium, on SQLite and PostgreSQL, checked once each for what issue 14 asks:
/// keyboard reachable (Tab visits every control in order with a visible focus, a skip link, a form submitted by keyboard
/// alone), labelled (controls, buttons, links, figures, one `<h1>`, `lang`, `<title>`), readable (WCAG 2.1 contrast,
/// nothing wider than 390 px but the tables' own scroll boxes), and working with JavaScript off (sign in, skip through the
/// confirmation, filter the audit log, the progress page's server-rendered state). The checks walk the DOM, so what a page
/// gains later is checked too. Screenshots (390 px wide) go to `.build/dashboard-screenshots/`.
@Suite("Dashboard accessibility in a browser", .serialized)
struct DashboardAccessibilityTests {
    typealias Backend = DashboardWorld.Backend

    @Test(arguments: Backend.allCases)
    func everyPageIsKeyboardReachableLabelledReadableAndWorksWithoutJavaScript(_ backend: Backend) async throws {
        try WebDriver.required()
        let world = try await DashboardWorld.make(backend, publicURL: nil)
        let secret = world.playbook.secret
        let shots = "\(backend.rawValue)-a11y"
        do {
            try await world.service.application(host: "127.0.0.1", port: 0).test(.live) { client in
                let site = "http://127.0.0.1:\(try #require(client.port))"
                let progress = try await Self.withBrowser(shots, javaScript: true) { browser in
                    try await Self.everyPage(browser, site: site, secret: secret, shots: shots)
                }
                try await Self.withBrowser(shots + "-nojs", javaScript: false) { browser in
                    try await Self.withoutJavaScript(browser, site: site, secret: secret, progress: progress, shots: shots + "-nojs")
                }
            }
        } catch {
            await world.cleanup()
            throw error
        }
        let skips = try await world.audit("secret.skipped")
        #expect(Set(skips.compactMap(\.reason)) == ["by keyboard alone", "without scripts"])
        #expect(skips.allSatisfy { $0.actor == "alice" })
        await world.cleanup()
    }

    /// Runs `body` with a browser of its own, quit afterwards (with a screenshot named `shots-failure` when it throws).
    static func withBrowser<T>(_ shots: String, javaScript: Bool, _ body: (WebDriver) async throws -> T) async throws -> T {
        let browser = try await WebDriver.start(javaScript: javaScript)
        do {
            let result = try await body(browser)
            await browser.quit()
            return result
        } catch {
            try? await browser.screenshot("\(shots)-failure")
            await browser.quit()
            throw error
        }
    }

    /// Visits every page once, as an operator would reach it, and checks it there. Returns the progress page's address.
    static func everyPage(_ browser: WebDriver, site: String, secret: String, shots: String) async throws -> String {
        try await browser.open(site + "/ui")
        #expect(try await browser.run(Self.scripting) as? Bool == true, "the first browser runs no page scripts")
        try await checkPage(browser, "sign-in", shots: shots)
        try await browser.type("#token", DashboardWorld.operatorToken)
        try await browser.clickAndLoad("form[action='/ui/sign-in'] button")
        #expect(try await browser.url == site + "/ui")
        try await checkPage(browser, "overview", shots: shots)
        try await skipLinkMovesFocusToMain(browser, site: site)

        try await browser.open(site + "/ui/secrets/\(secret)")
        try await checkPage(browser, "secret", shots: shots)
        for action in ["skip", "rotate", "emergency", "resolve"] {
            try await browser.open(site + "/ui/secrets/\(secret)/\(action)")
            try await checkPage(browser, "confirm-\(action)", shots: shots)
        }

        // Skip with the keyboard alone: Tab to the reason, type it, Tab to the button, Enter.
        try await browser.open(site + "/ui/secrets/\(secret)/skip")
        try await tab(browser, to: "#f-reason", page: "confirm-skip")
        try await browser.press("by keyboard alone")
        try await tab(browser, to: "main form button[type=submit]", page: "confirm-skip")
        try await browser.pressAndLoad(WebDriver.Key.enter)
        #expect(try await browser.text("main h1") == "Skipped")
        try await checkPage(browser, "skipped", shots: shots)

        try await browser.open(site + "/ui/secrets/\(secret)/rotate")
        try await browser.clickAndLoad("main form button[type=submit]")
        let progress = try await browser.url
        #expect(progress.hasPrefix(site + "/ui/rotations/rot_"))
        try await eventually("the live progress shows the outcome", timeout: .seconds(60), every: .milliseconds(200)) {
            try await browser.attribute("#progress", "data-done") != nil
        }
        try await checkPage(browser, "progress", shots: shots)

        for page in ["audit", "calendar", "keys"] {
            try await browser.open(site + "/ui/\(page)")
            try await checkPage(browser, page, shots: shots)
        }
        return progress
    }

    /// All the checks on the page the browser shows, which has just loaded (the focus is at its top).
    static func checkPage(_ browser: WebDriver, _ page: String, shots: String) async throws {
        try await checkKeyboard(browser, page)
        let labels = try await browser.run(AccessibilityProbe.labels) as? [String]
        #expect(labels == [], "\(page): \(labels?.joined(separator: "; ") ?? "the label probe returned nothing")")
        let contrast = try await browser.run(AccessibilityProbe.contrast) as? [String: Any]
        let poor = contrast?["problems"] as? [String]
        #expect(poor == [], "\(page): \(poor?.joined(separator: "; ") ?? "the contrast probe returned nothing")")
        #expect((contrast?["checked"] as? Int ?? 0) > 3, "\(page): the contrast probe found no text")
        try await browser.resize(width: 390, height: 844)
        let wide = try await browser.run(AccessibilityProbe.narrow) as? [String]
        #expect(wide == [], "\(page) at 390 px: \(wide?.joined(separator: "; ") ?? "the width probe returned nothing")")
        try await browser.screenshot("\(shots)-\(page)-390px")
        try await browser.resize(width: 1280, height: 900)
    }

    /// Tab from the top visits every interactive element in document order, none skipped, each with a visible focus
    /// indicator, and then leaves the page (no trap).
    static func checkKeyboard(_ browser: WebDriver, _ page: String) async throws {
        let stops = try await browser.run(AccessibilityProbe.tabStops) as? [String] ?? []
        #expect(!stops.isEmpty, "\(page): nothing to Tab to")
        var reached: [Int] = []
        var problems: [String] = []
        var left = false
        // A date field takes several Tab presses (day, month, year, its picker), all on the one element.
        for _ in 0..<(stops.count * 4 + 8) {
            try await browser.press(WebDriver.Key.tab)
            let focus = try await browser.run(AccessibilityProbe.focused) as? [String: Any] ?? [:]
            if focus["document"] as? Bool == true { left = true; break }
            let element = focus["element"] as? String ?? "?"
            if let index = (focus["index"] as? String).flatMap(Int.init) {
                if index == 0, !reached.isEmpty { left = true; break }
                if reached.last != index { reached.append(index) }
            } else if focus["scroller"] as? Bool != true {
                problems.append("Tab stops on \(element), which is neither a control nor a scroll box")
            }
            if focus["indicator"] as? Bool != true { problems.append("no visible focus indicator on \(element) (\(focus["style"] ?? ""))") }
            if focus["onScreen"] as? Bool != true { problems.append("\(element) is focused off screen") }
        }
        let visited = reached.map { stops[$0] }
        #expect(left, "\(page): Tab never left the page after \(visited) (a keyboard trap?)")
        let skipped = stops.indices.filter { !reached.contains($0) }.map { stops[$0] }
        #expect(skipped.isEmpty, "\(page): Tab skips \(skipped)")
        #expect(reached == reached.sorted(), "\(page): Tab visits out of document order: \(visited)")
        #expect(problems.isEmpty, "\(page): \(problems.joined(separator: "; "))")
    }

    /// The first Tab stop is "Skip to content"; Enter on it moves the focus to `<main>`, and the next Tab to the first
    /// control in it.
    static func skipLinkMovesFocusToMain(_ browser: WebDriver, site: String) async throws {
        try await browser.open(site + "/ui")
        try await browser.press(WebDriver.Key.tab)
        let first = try await browser.run(AccessibilityProbe.focused) as? [String: Any] ?? [:]
        #expect((first["element"] as? String)?.contains("\"Skip to content\"") == true, "overview: the first Tab stop is \(first)")
        try await browser.press(WebDriver.Key.enter)
        let target = try await browser.run(AccessibilityProbe.focused) as? [String: Any] ?? [:]
        #expect(target["main"] as? Bool == true, "overview: Enter on the skip link focused \(target)")
        try await browser.press(WebDriver.Key.tab)
        let next = try await browser.run("return document.activeElement.closest('main') !== null") as? Bool
        #expect(next == true, "overview: Tab after the skip link left <main>")
    }

    /// Whether the page runs scripts: the HTML parser reads `<noscript>` as text when it does, as elements when it does not.
    static let scripting = "var d = document.createElement('div'); d.innerHTML = '<noscript><p></p></noscript>'; return !d.querySelector('p')"

    /// Presses Tab until `css` has the focus (failing, naming `page`, when it never gets it).
    static func tab(_ browser: WebDriver, to css: String, page: String) async throws {
        for _ in 0..<60 {
            try await browser.press(WebDriver.Key.tab)
            if try await browser.run("return document.activeElement.matches(\"\(css)\")") as? Bool == true { return }
        }
        throw WebDriver.Failure(description: "\(page): Tab never reaches \(css)")
    }

    /// With the page's scripts off: sign in, open the secret, skip it through its confirmation, filter the audit log,
    /// and read the progress page's server-rendered state.
    static func withoutJavaScript(_ browser: WebDriver, site: String, secret: String, progress: String, shots: String) async throws {
        try await browser.open(site + "/ui")
        #expect(try await browser.url == site + "/ui/sign-in")
        #expect(try await browser.run(Self.scripting) as? Bool == false, "the second browser runs the page's scripts")
        try await browser.type("#token", DashboardWorld.operatorToken)
        try await browser.clickAndLoadWithoutScripts("form[action='/ui/sign-in'] button")
        #expect(try await browser.url == site + "/ui")
        try await browser.screenshot("\(shots)-overview")
        try await browser.clickAndLoadWithoutScripts("main table tbody tr td a")
        #expect(try await browser.url == site + "/ui/secrets/\(secret)")
        try await browser.clickAndLoadWithoutScripts("form[action='/ui/secrets/\(secret)/skip'] button")
        #expect(try await browser.url.hasPrefix(site + "/ui/secrets/\(secret)/skip"))
        try await browser.type("#f-reason", "without scripts")
        try await browser.clickAndLoadWithoutScripts("main form button[type=submit]")
        #expect(try await browser.text("main h1") == "Skipped")
        try await browser.screenshot("\(shots)-skipped")

        try await browser.open(site + "/ui/audit")
        try await browser.type("#a-action", "secret.skipped")
        try await browser.clickAndLoadWithoutScripts("form.filters button")
        let filtered = try await browser.source
        let (shown, counted) = (filtered.contains("without scripts") && filtered.contains("by keyboard alone"), filtered.contains("2 events"))
        #expect(shown)
        #expect(counted)
        try await browser.screenshot("\(shots)-audit")

        try await browser.open(progress)
        #expect(try await browser.text("#outcome").hasPrefix("Succeeded"))
        #expect(try await browser.text("#targets").contains("live"))
        let reload = try await browser.attribute("a[href^='/ui/rotations/']", "href")
        #expect(reload.map { progress.hasSuffix($0) } == true, "the progress page offers no reload link: \(String(describing: reload))")
        try await browser.screenshot("\(shots)-progress")
    }
}
