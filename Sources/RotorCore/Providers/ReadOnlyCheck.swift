/// What one read-only call to a provider's vendor found (`rotor doctor`): that its credential resolves and the
/// vendor accepts it for the project, service, item or database the playbook names, without changing anything.
///
/// Every text is for the operator and never holds a credential or a value.
public enum ReadOnlyCheck: Sendable, Equatable {
    /// The call worked: what it showed.
    case passed(String)
    /// The call failed: what happened and what to do next.
    case failed(String)
    /// The provider makes no such call (nothing to reach, or no call that is safe to make): why.
    case notChecked(String)
}
