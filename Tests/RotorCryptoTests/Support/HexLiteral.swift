import RotorCrypto

/// Bytes from a hex literal in a test vector. Whitespace is ignored so long vectors can be split
/// the way the standards print them; a typo stops the test run at once instead of testing garbage.
func bytes(_ hex: String) -> [UInt8] {
    let compact = hex.filter { !$0.isWhitespace }
    guard let decoded = Hex.decode(compact) else {
        preconditionFailure("malformed hex in a test vector: \(hex)")
    }
    return decoded
}

/// The UTF-8 bytes of `text`.
func utf8(_ text: String) -> [UInt8] {
    Array(text.utf8)
}
