import Foundation

/// Prints the HTML report to PDF with a headless Chromium, run as a child process that gets no secret: the page is
/// a file in a private temporary folder, the environment only `PATH` and a throwaway `HOME`, and nothing but
/// file paths on its command line.
public struct ChromiumPDF: Sendable {
    /// The names a Chromium goes by on PATH (Debian: `chromium`; others: `chromium-browser`).
    public static let names = ["chromium", "chromium-browser"]
    /// What to tell someone without one.
    public static let howToGetOne = "PDF needs a headless Chromium on PATH (chromium or chromium-browser): install it with "
        + "`apt-get install chromium` (or `make deps`), or use --format html and print the page to PDF from a browser"

    /// The Chromium executable.
    public var executable: String
    /// How long Chromium may take before it is stopped.
    public var timeout: TimeInterval

    public init(executable: String, timeout: TimeInterval = 120) {
        self.executable = executable
        self.timeout = timeout
    }

    /// The first Chromium on `path` (a `PATH` value), or nil.
    public static func locate(path: String? = ProcessInfo.processInfo.environment["PATH"]) -> ChromiumPDF? {
        for folder in (path ?? "").split(separator: ":") where !folder.isEmpty {
            for name in names {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return ChromiumPDF(executable: candidate) }
            }
        }
        return nil
    }

    /// The PDF of `html`.
    public func render(html: String) throws -> Data {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: work) }
        let page = work.appendingPathComponent("report.html")
        let pdf = work.appendingPathComponent("report.pdf")
        guard FileManager.default.createFile(atPath: page.path, contents: Data(html.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ReportPDFError("cannot write the page to \(work.path); check the temporary folder")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--no-pdf-header-footer", "--user-data-dir=\(work.path)/profile", "--print-to-pdf=\(pdf.path)",
                             page.absoluteString]
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": work.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: deadline)
        process.waitUntilExit()
        deadline.cancel()
        guard let data = FileManager.default.contents(atPath: pdf.path), data.starts(with: Array("%PDF".utf8)) else {
            throw ReportPDFError("\(executable) did not print a PDF (exit status \(process.terminationStatus)); "
                                 + "try it by hand with `\(executable) --headless --print-to-pdf=out.pdf report.html`, or use --format html")
        }
        return data
    }
}
