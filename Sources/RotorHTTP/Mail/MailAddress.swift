/// The plain addresses (`local@domain`) Rotor sends from and to.
///
/// Deliberately narrower than RFC 5322: no display names, comments, quoted local parts or non-ASCII,
/// so an address can go into an SMTP command and a header as it is, and nothing in it can end a line
/// or start another field.
enum MailAddress {
    /// Whether `address` is a plain address Rotor accepts.
    static func isValid(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
              !local.isEmpty, local.utf8.count <= 64, !domain.isEmpty, address.utf8.count <= 254,
              !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else { return false }
        return address.unicodeScalars.allSatisfy { scalar in
            (33...126).contains(scalar.value) && !forbidden.contains(scalar)
        }
    }

    /// The part after the `@`, or nil when `address` is not a valid address.
    static func domain(of address: String) -> String? {
        guard isValid(address), let at = address.firstIndex(of: "@") else { return nil }
        return String(address[address.index(after: at)...])
    }

    /// RFC 5322 "specials" and the characters that would end an address in an SMTP command.
    private static let forbidden: Set<Unicode.Scalar> = ["<", ">", "(", ")", "[", "]", ",", ";", ":", "\\", "\""]
}
