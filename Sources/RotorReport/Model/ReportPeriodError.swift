/// A report period that cannot be used, with what to do instead.
public struct ReportPeriodError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
