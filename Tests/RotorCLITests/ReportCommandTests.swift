import Foundation
import RotorTestSupport
import Testing

/// `rotor report` through the real binary: a report after a real rotation, where it is written, PDF through the
/// headless Chromium (and what to do without one), and bad arguments.
@Suite("rotor report", .serialized)
struct ReportCommandTests {
    static func day(_ offset: Double) -> String {
        String(ISO8601DateFormatter().string(from: Date().addingTimeInterval(offset * 86400)).prefix(10))
    }

    @Test(arguments: Backend.allCases)
    func aReportAfterARotationShowsItWithItsAuditRows(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let initial = try await world.initialise()
            let rotate = try await world.run(["rotate", "app-token"])
            try #require(rotate.status == 0, "\(rotate)")
            let (from, to) = (Self.day(-1), Self.day(1))

            let csv = try await world.run(["report", "--from", from, "--to", to, "--format", "csv", "--output", "-"])
            #expect(csv.status == 0, "\(csv)")
            let lines = csv.stdout.components(separatedBy: "\r\n")
            #expect(lines.first == "control,subject,kind,status,at,actor,reason,value,unit,detail,audit_ids")
            let row = try #require(lines.first { $0.hasPrefix("max_age,app-token,secret,ok,") }, "\(csv.stdout)")
            #expect(row.contains("1 rotation(s)"), "\(row)")
            let ids = try #require(row.split(separator: ",").last).split(separator: " ")
            #expect(ids.count == 2 && ids.allSatisfy { Int($0) != nil }, "the import and the promotion: \(row)")
            #expect(lines.contains { $0.hasPrefix("audit_chain,,,not_verified,") })

            // Default: a file named after the period, in the current folder, 0644, its path printed.
            let html = try await world.run(["report", "--from", from, "--to", to])
            #expect(html.status == 0, "\(html)")
            let name = "rotor-report-\(from)-to-\(to).html"
            #expect(html.stdout.contains(name) && html.stdout.contains("coverage 100 %"), "\(html)")
            let path = "\(world.dir)/\(name)"
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o644)
            let page = try String(contentsOfFile: path, encoding: .utf8)
            for id in ids { #expect(page.contains("href=\"#audit-\(id)\"") && page.contains("<tr id=\"audit-\(id)\">")) }
            let current = try #require(try world.fileValue())
            for value in [initial, current] {
                #expect(!page.contains(value) && !csv.stdout.contains(value), "no secret value in the report")
            }
        }
    }

    @Test func pdfThroughHeadlessChromiumAndWhatToDoWithoutIt() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
            let found = path.split(separator: ":").contains { folder in
                ["chromium", "chromium-browser"].contains { FileManager.default.isExecutableFile(atPath: "\(folder)/\($0)") }
            }
            try #require(found, "no chromium on PATH: install it with `make deps` (apt-get install chromium)")
            let pdf = try await world.run(["report", "--from", Self.day(-1), "--to", Self.day(1), "--format", "pdf", "--output", "q.pdf"])
            #expect(pdf.status == 0, "\(pdf)")
            let bytes = try #require(FileManager.default.contents(atPath: "\(world.dir)/q.pdf"))
            #expect(bytes.starts(with: Array("%PDF".utf8)))
            #expect(pdf.stdout.contains("q.pdf"))

            let emptyBin = "\(world.dir)/empty-bin"
            try FileManager.default.createDirectory(atPath: emptyBin, withIntermediateDirectories: true)
            let without = try await world.run(["report", "--from", Self.day(-1), "--to", Self.day(1), "--format", "pdf"],
                                              env: ["PATH": emptyBin])
            #expect(without.status == 1, "\(without)")
            #expect(without.stderr.contains("apt-get install chromium") && without.stderr.contains("--format html"), "\(without)")
        }
    }

    /// Chromium gets file paths and a bare environment (no ROTOR_* variable, no store URL); one that prints no PDF
    /// fails the command with what to try.
    @Test func chromiumRunsWithoutTheEnvironmentAndItsFailureIsReported() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            let bin = "\(world.dir)/fake-bin", seen = "\(world.dir)/chromium-saw.txt"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            let script = """
                #!/bin/sh
                { env; printf 'ARG %s\\n' "$@"; } > '\(seen)'
                for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; esac; done
                [ -e '\(world.dir)/fail' ] && exit 3
                printf '%%PDF-1.4 fake' > "$out"
                """
            #expect(FileManager.default.createFile(atPath: "\(bin)/chromium", contents: Data(script.utf8), attributes: [.posixPermissions: 0o755]))
            let pathValue = "\(bin):/usr/bin:/bin"
            let made = try await world.run(["report", "--from", Self.day(-1), "--to", Self.day(1), "--format", "pdf", "--output", "f.pdf"],
                                           env: ["PATH": pathValue])
            #expect(made.status == 0, "\(made)")
            let saw = try String(contentsOfFile: seen, encoding: .utf8)
            #expect(!saw.contains("ROTOR_") && !saw.contains(world.storeURL) && !saw.contains(world.home), "\(saw)")
            #expect(saw.contains("ARG --headless") && saw.contains("ARG --no-sandbox"), "\(saw)")

            FileManager.default.createFile(atPath: "\(world.dir)/fail", contents: Data())
            let failed = try await world.run(["report", "--from", Self.day(-1), "--to", Self.day(1), "--format", "pdf", "--output", "g.pdf"],
                                             env: ["PATH": pathValue])
            #expect(failed.status == 1 && failed.stderr.contains("did not print a PDF (exit status 3)"), "\(failed)")
            #expect(!FileManager.default.fileExists(atPath: "\(world.dir)/g.pdf"))
        }
    }

    @Test func badArgumentsExitTwoWithWhatToDo() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            let cases: [([String], String)] = [
                (["--from", "last-week", "--to", "2026-01-31"], "is not a date"),
                (["--from", "2026-03-01", "--to", "2026-01-31"], "must be before --to"),
                (["--from", "2999-01-01", "--to", "2999-02-01"], "is in the future"),
                (["--from", "2026-01-01", "--to", "2026-01-31", "--format", "docx"], "html"),
                (["--from", "2026-01-01", "--to", "2026-01-31", "--format", "pdf", "--output", "-"], "--output FILE"),
                (["--from", "2026-01-01"], "--to"),
            ]
            for (arguments, message) in cases {
                let result = try await world.run(["report"] + arguments)
                #expect(result.status == 2, "\(arguments): \(result)")
                #expect(result.stderr.contains(message), "\(arguments): \(result)")
            }
            let unwritable = try await world.run(["init"])
            try #require(unwritable.status == 0)
            let result = try await world.run(["report", "--from", "2026-01-01", "--to", "2026-01-31", "--output", "/nonexistent/dir/r.html"])
            #expect(result.status == 1 && result.stderr.contains("cannot write /nonexistent/dir/r.html"), "\(result)")
        }
    }
}
