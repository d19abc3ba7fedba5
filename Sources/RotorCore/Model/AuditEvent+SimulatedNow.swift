import Foundation

extension AuditEvent {
    /// The key a row written under a time-travelling clock (`--now`) carries in its JSON `detail`.
    public static let simulatedNowKey = "simulated_now"

    /// Whether this row was written under a time-travelling clock (`rotor tick --now …`).
    public var isSimulatedNow: Bool {
        guard let detail, let object = try? JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any] else {
            return false
        }
        return object[Self.simulatedNowKey] as? Bool == true
    }

    /// This event with `"simulated_now": true` in its detail, so the audit log (and `rotor audit export`) tells
    /// a rehearsal from what really happened. A JSON object detail keeps its keys and their order; anything
    /// else is kept, as a string, under `"detail"`.
    public func markedSimulatedNow() -> AuditEvent {
        guard !isSimulatedNow else { return self }
        var marked = self
        let flag = "\"\(Self.simulatedNowKey)\":true"
        if let detail, let object = try? JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any],
           let brace = detail.firstIndex(of: "{") {
            let rest = detail[detail.index(after: brace)...]
            marked.detail = "{" + flag + (object.isEmpty ? "" : ",") + rest
        } else if let detail, let quoted = try? JSONEncoder().encode(detail) {
            marked.detail = "{\(flag),\"detail\":\(String(decoding: quoted, as: UTF8.self))}"
        } else {
            marked.detail = "{\(flag)}"
        }
        return marked
    }
}
