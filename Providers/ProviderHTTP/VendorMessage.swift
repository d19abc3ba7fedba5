import Foundation

/// The human message in a vendor's error body, in the shapes common key APIs use:
/// `{"error":{"code","message"}}` (OpenAI, Stripe, the sandbox), `{"message"}` (GitHub, Render),
/// `{"error":"…","error_description":"…"}` (OAuth), `{"detail"}` and `{"errors":[{"message"}]}`.
enum VendorMessage {
    static func extract(from body: [UInt8]) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return nil }
        if let error = object["error"] as? [String: Any] {
            let code = error["code"] as? String ?? error["type"] as? String
            if let message = error["message"] as? String {
                return code.map { "\($0): \(message)" } ?? message
            }
            return code
        }
        if let error = object["error"] as? String {
            return (object["error_description"] as? String).map { "\(error): \($0)" } ?? error
        }
        if let message = object["message"] as? String { return message }
        if let detail = object["detail"] as? String { return detail }
        if let errors = object["errors"] as? [[String: Any]], let message = errors.first?["message"] as? String { return message }
        return nil
    }
}
