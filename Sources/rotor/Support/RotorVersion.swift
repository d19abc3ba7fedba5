/// The version of Rotor itself.
enum RotorVersion {
    static let string = "0.1.0"
}
