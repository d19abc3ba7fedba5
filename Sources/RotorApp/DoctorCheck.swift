/// One line of `rotor doctor`: what was checked, whether it passed, and what was found or what to do next.
/// Never holds a credential or a value.
public struct DoctorCheck: Sendable, Equatable {
    public let name: String
    public let ok: Bool
    public let detail: String

    public init(name: String, ok: Bool, detail: String) {
        self.name = name
        self.ok = ok
        self.detail = detail
    }
}
