import Foundation
import Hummingbird

/// A dashboard form's body: `application/x-www-form-urlencoded` (or no type), at most 16 KiB, read as the supply
/// page's form is (``SupplyForm``); any other type is answered 415.
enum DashboardForm {
    static func read(_ request: Request) async throws -> SupplyForm {
        let bytes = try await JSONBody.readBounded(request)
        if !bytes.isEmpty, let type = request.headers[.contentType],
           type.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() != "application/x-www-form-urlencoded" {
            throw ServerError(.unsupportedMediaType, "this is not the page's form", hint: "submit the form on the dashboard page",
                              format: .html)
        }
        return SupplyForm(bytes: bytes)
    }
}
