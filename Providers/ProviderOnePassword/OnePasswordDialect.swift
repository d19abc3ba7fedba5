import Foundation
import RotorHTTP

/// How 1Password Connect reports failures (`{"status":401,"message":"Invalid token signature"}`), and
/// sentences that name the vault, the item and the token's reference.
struct OnePasswordDialect: VendorDialect {
    typealias Failure = OnePasswordError

    /// The target's label, which starts every error message.
    let label: String
    let vault: String
    let item: String
    /// Where the Connect token came from, safe to print.
    let tokenReference: String

    private struct Envelope: Decodable { var message: String? }

    func errorDetail(in body: [UInt8]) -> (code: String?, message: String?) {
        (nil, (try? JSONDecoder().decode(Envelope.self, from: Data(body)))?.message)
    }

    func describe(_ failure: VendorAPIFailure) -> String {
        let status = failure.status ?? 0
        let message = failure.message ?? "no message"
        let place = "item \(item) in vault \(vault)"
        switch failure.reason {
        case .unreachable:
            return "\(label): cannot reach the Connect server at \(failure.base) to \(failure.action) (\(message)); "
                + "check `connect` and that the Connect server runs, then run again"
        case .unexpectedResponse:
            return "\(label): the Connect server's \(status) answer to \(failure.action) is not a 1Password item; check that `connect` points at a Connect server"
        case .notFound:
            return "\(label): Connect found no \(place) (404: \(message)); check the vault and item ids (26 characters) and that the token's vault list includes the vault"
        default:
            if status == 401 {
                return "\(label): Connect refused the token from \(tokenReference) (401: \(message)); issue a new Connect token and store it there"
            }
            if status == 403 {
                return "\(label): the token from \(tokenReference) may not \(failure.action) (\(place), 403: \(message)); give the token read and write access to vault \(vault)"
            }
            return "\(label): Connect answered \(status) to \(failure.action) of \(place) (\(message)), also after retries; run again later"
        }
    }
}
