/// The PDF could not be made, with what to do instead.
public struct ReportPDFError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
