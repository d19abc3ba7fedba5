/// A listen address that is not `HOST:PORT`. The message names where it came from and shows the form.
public struct ListenAddressError: Error, CustomStringConvertible {
    /// `--listen` or ROTOR_LISTEN.
    public let origin: String
    public var description: String {
        "\(origin) must be HOST:PORT with a port from 1 to 65535, for example 127.0.0.1:8750 or [::1]:8750"
    }
}
