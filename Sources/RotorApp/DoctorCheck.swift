/// One line of `rotor doctor`: what was checked, whether it passed, and what was found or what to do next.
/// Never holds a credential or a value.
public struct DoctorCheck: Sendable, Equatable {
    /// What was checked, e.g. `credential env:VERCEL_TOKEN` or `openai-api-key target vercel web-app OPENAI_API_KEY`.
    public let name: String
    /// Whether it passed.
    public let ok: Bool
    /// What the check found, or what went wrong and what to do next.
    public let detail: String

    public init(name: String, ok: Bool, detail: String) {
        self.name = name
        self.ok = ok
        self.detail = detail
    }
}
