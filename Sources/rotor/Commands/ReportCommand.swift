import ArgumentParser
import Foundation
import RotorApp
import RotorCore
import RotorReport

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The compliance report over a period, for an auditor: HTML, CSV or PDF.",
        discussion: """
            Per control: every managed secret and customer key rotated within its maximum age (and the exceptions),
            skips and compliance overrides with who and why, emergency rotations with their time from trigger to live,
            failures and their time to recovery, and the coverage over the period. Each claim names the ids of the
            audit rows it rests on; the HTML links them to an appendix that shows those rows. The result of the audit
            chain verification closes the report.

            --from is inclusive; --to is exclusive, except that a date alone means through the end of that day.
            The report is written to a file named after the period in the current folder (mode 0644) unless
            --output says otherwise; `--output -` writes HTML or CSV to standard output. PDF needs a headless
            Chromium on PATH (`apt-get install chromium`).

            Examples:
              rotor report --from 2026-01-01 --to 2026-03-31
              rotor report --from 2026-01-01 --to 2026-03-31 --format pdf --output q1.pdf
              rotor report --from 2026-01-01 --to 2026-03-31 --format csv --output - | column -s, -t
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case html, csv, pdf }

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("First day or time of the period (ISO 8601, UTC).", valueName: "DATE")) var from: String
    @Option(help: ArgumentHelp("Last day of the period, or the time it ends (ISO 8601, UTC).", valueName: "DATE")) var to: String
    @Option(help: "html, csv or pdf.") var format: Format = .html
    @Option(help: ArgumentHelp("Write here instead (mode 0644); - for standard output (html and csv).", valueName: "FILE"))
    var output: String?

    func validate() throws {
        do {
            _ = try ReportPeriod.parse(from: from, to: to, now: Date())
        } catch let error as ReportPeriodError {
            throw ValidationError(error.description)
        }
        if format == .pdf, output == "-" {
            throw ValidationError("a PDF is not written to standard output; use --output FILE, or --format html with --output -")
        }
    }

    func run() async throws {
        let period = try ReportPeriod.parse(from: from, to: to, now: Date())
        // Checked before the store is opened: without Chromium there is nothing to do.
        let chromium = format == .pdf ? ChromiumPDF.locate() : nil
        if format == .pdf, chromium == nil { throw CLIError(ChromiumPDF.howToGetOne) }
        let report = try await RotorApp.with(global) { try await $0.periodReport(period) }
        let data: Data
        switch format {
        case .html: data = Data(ReportHTML.render(report).utf8)
        case .csv: data = Data(ReportCSV.render(report).utf8)
        case .pdf:
            do {
                data = try chromium!.render(html: ReportHTML.render(report))
            } catch let error as ReportPDFError {
                throw CLIError(error.description)
            }
        }
        if output == "-" {
            FileHandle.standardOutput.write(data)
            return
        }
        let path = output ?? period.fileName(extension: format.rawValue)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o644]) else {
            throw CLIError("cannot write \(path); check that its folder exists and is writable, or pass --output FILE")
        }
        // createFile keeps the mode of a file it replaces.
        try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let exceptions = report.ageExceptions.count + report.unlistedKeyExceptions
        print("\(exceptions == 0 ? Mark.ok : Mark.warning) report: \(path) (coverage \(ReportCSV.number(report.coverage.percent)) %, "
              + "\(exceptions) max-age exception\(exceptions == 1 ? "" : "s"), audit chain \(ReportChainStatus.summary(report.chainVerification)))")
    }
}
