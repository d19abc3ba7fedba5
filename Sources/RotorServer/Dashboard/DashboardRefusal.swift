/// A dashboard action refused before it started, shown on its confirmation page.
struct DashboardRefusal: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
