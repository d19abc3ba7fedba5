import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorServer
import RotorTestSupport
import Testing

/// The dashboard in a real headless Chromium (Debian's, driven over WebDriver), against `rotor serve`'s service on a
/// loopback port, on SQLite and PostgreSQL: sign in, the overview, skip with confirmation, rotate now and watch the
/// live progress reach the outcome, an emergency as an operator and refused to a viewer, the audit log filtered.
/// Each page's screenshot is saved under `.build/dashboard-screenshots/`.
@Suite("Dashboard in a browser", .serialized)
struct DashboardBrowserTests {
    typealias Backend = DashboardWorld.Backend

    @Test(arguments: Backend.allCases)
    func anOperatorAndAViewerUseTheDashboardInABrowser(_ backend: Backend) async throws {
        try WebDriver.required()
        let world = try await DashboardWorld.make(backend, publicURL: nil)
        let secret = world.playbook.secret
        do {
            try await world.service.application(host: "127.0.0.1", port: 0).test(.live) { client in
                let site = "http://127.0.0.1:\(try #require(client.port))"
                let browser = try await WebDriver.start(downloads: Self.downloads(backend))
                do {
                    try await Self.operatorFlow(browser, site: site, secret: secret, shots: backend.rawValue)
                    try await Self.viewerFlow(browser, site: site, secret: secret, shots: backend.rawValue)
                    await browser.quit()
                } catch {
                    try? await browser.screenshot("\(backend.rawValue)-failure")
                    await browser.quit()
                    throw error
                }
            }
        } catch {
            await world.cleanup()
            throw error
        }
        let skipped = try #require(try await world.audit("secret.skipped").first)
        #expect(skipped.actor == "alice")
        let started = try await world.audit("rotation.started")
        #expect(started.map(\.trigger) == ["manual"])
        #expect(started.first?.actor == "alice")
        let rotation = try await world.app.store.transaction { try $0.rotations(secretName: secret).first }
        #expect(rotation?.state == .completed, "the emergency revoked the old value early")
        await world.cleanup()
    }

    static func operatorFlow(_ browser: WebDriver, site: String, secret: String, shots: String) async throws {
        try await browser.open(site + "/ui")
        #expect(try await browser.url == site + "/ui/sign-in")
        try await browser.screenshot("\(shots)-sign-in")
        try await browser.type("#token", DashboardWorld.operatorToken)
        try await browser.clickAndLoad("form[action='/ui/sign-in'] button")
        #expect(try await browser.url == site + "/ui")
        let overview = try await browser.source
        #expect(overview.contains("Coverage"))
        #expect(overview.contains("alice (operator)"))
        #expect(try await browser.text("main table tbody tr td a") == secret)
        try await browser.screenshot("\(shots)-overview")
        // Readable at 390 px: nothing wider than the viewport but the tables' own scroll boxes.
        try await browser.resize(width: 390, height: 844)
        let fits = try await browser.run("return document.documentElement.scrollWidth <= window.innerWidth") as? Bool
        #expect(fits == true, "the overview is wider than a 390 px screen")
        try await browser.screenshot("\(shots)-overview-390px")
        try await browser.resize(width: 1280, height: 900)

        // Skip, with its confirmation page.
        try await browser.clickAndLoad("main table tbody tr td a")
        try await browser.screenshot("\(shots)-secret")
        try await browser.clickAndLoad("form[action='/ui/secrets/\(secret)/skip'] button")
        #expect(try await browser.url.hasPrefix(site + "/ui/secrets/\(secret)/skip"))
        try await browser.screenshot("\(shots)-confirm-skip")
        try await browser.type("#f-reason", "release freeze")
        try await browser.clickAndLoad("main form button[type=submit]")
        #expect(try await browser.text("main h1") == "Skipped")

        // Rotate now, then watch the live progress reach the outcome.
        try await browser.open(site + "/ui/secrets/\(secret)/rotate")
        try await browser.type("#f-reason", "quarterly")
        try await browser.clickAndLoad("main form button[type=submit]")
        #expect(try await browser.url.hasPrefix(site + "/ui/rotations/rot_"))
        try await Self.waitForOutcome(browser, state: "grace")
        #expect(!(try await browser.url.contains("follow=")))
        try await browser.screenshot("\(shots)-progress")

        // An emergency as an operator: the rotation just done is in its grace, so the emergency revokes the old value now.
        try await browser.open(site + "/ui/secrets/\(secret)")
        try await browser.clickAndLoad("form[action='/ui/secrets/\(secret)/emergency'] button")
        try await browser.type("#f-reason", "key pasted in a ticket")
        try await browser.screenshot("\(shots)-confirm-emergency")
        try await browser.clickAndLoad("main form button[type=submit]")
        #expect(try await browser.url.hasSuffix("?follow=revoke"), "an early revoke is followed past the grace")
        try await Self.waitForOutcome(browser, state: "completed")

        // The audit log, filtered.
        try await browser.open(site + "/ui/audit")
        try await browser.type("#a-action", "secret.skipped")
        try await browser.clickAndLoad("form.filters button")
        let filtered = try await browser.source
        let (skipShown, importShown, counted) = (filtered.contains("release freeze"), filtered.contains("secret.imported"),
                                                 filtered.contains("1 events"))
        #expect(skipShown)
        #expect(!importShown)
        #expect(counted)
        try await browser.screenshot("\(shots)-audit")

        // The compliance report, downloaded as the audit page's report form asks for it.
        let downloads = Self.downloads(shots)
        try await browser.open(site + "/ui/report?from=2000-01-01&to=2100-01-01&format=csv")
        let report = "\(downloads)/rotor-report-2000-01-01-to-2100-01-01.csv"
        try await eventually("the browser downloaded the report", timeout: .seconds(30), every: .milliseconds(200)) {
            FileManager.default.fileExists(atPath: report)
        }
        let csv = try String(contentsOfFile: report, encoding: .utf8)
        #expect(csv.hasPrefix("control,subject,kind,status,"), "\(csv.prefix(200))")
        #expect(csv.contains("audit_chain,,,intact,"))
        for page in ["calendar", "keys"] {
            try await browser.open(site + "/ui/\(page)")
            try await browser.screenshot("\(shots)-\(page)")
        }
        try await browser.clickAndLoad("header form button")
        #expect(try await browser.url == site + "/ui/sign-in")
    }

    static func viewerFlow(_ browser: WebDriver, site: String, secret: String, shots: String) async throws {
        try await browser.type("#token", DashboardWorld.viewerToken)
        try await browser.clickAndLoad("form[action='/ui/sign-in'] button")
        try await browser.open(site + "/ui/secrets/\(secret)")
        #expect(try await browser.source.contains("needs the operator role"))
        try await browser.open(site + "/ui/secrets/\(secret)/emergency")
        #expect(try await browser.text("main h1") == "Not allowed")
        #expect(try await browser.source.contains("viewer role"))
        try await browser.screenshot("\(shots)-viewer-refused")
    }

    /// The live progress page's script has received the outcome over server-sent events (it marks the section).
    static func waitForOutcome(_ browser: WebDriver, state: String) async throws {
        try await eventually("the live progress shows the outcome", timeout: .seconds(60), every: .milliseconds(200)) {
            try await browser.attribute("#progress", "data-done") != nil
        }
        #expect(try await browser.attribute("#progress", "data-done") == state)
        #expect(try await browser.text("#outcome").hasPrefix("Succeeded"))
        #expect(try await browser.text("#targets").contains("live"))
    }

    /// A fresh folder for what the browser of `name`'s run downloads.
    static func downloads(_ name: String) -> String {
        let folder = FileManager.default.currentDirectoryPath + "/.build/dashboard-downloads/\(name)"
        return folder
    }
    static func downloads(_ backend: Backend) -> String {
        let folder = downloads(backend.rawValue)
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}
