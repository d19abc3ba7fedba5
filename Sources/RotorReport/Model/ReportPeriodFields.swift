/// How a surface names the two ends of a report period, so that a refused period names what the person filled in
/// and what to do there: the command line's `--from`/`--to` options, or the dashboard form's "From"/"To" fields.
public struct ReportPeriodFields: Sendable {
    /// The name of the start, as the person sees it.
    public var from: String
    /// The name of the end, as the person sees it.
    public var to: String
    /// Whether the surface takes times as well as days (the command line does; the form's date fields take days).
    var takesTimes: Bool

    /// `rotor report --from DATE --to DATE`.
    public static let commandLine = ReportPeriodFields(from: "--from", to: "--to", takesTimes: true)
    /// The report form on the dashboard's audit log page.
    public static let dashboard = ReportPeriodFields(from: "From", to: "To", takesTimes: false)

    /// What to do about a value of `field` that is not a date.
    func dateHint(_ field: String) -> String {
        takesTimes ? "use ISO 8601, e.g. \(field) 2026-01-01 or \(field) 2026-01-01T00:00:00Z"
            : "pick a day in the \(field) field (YYYY-MM-DD, e.g. 2026-01-01)"
    }
}
