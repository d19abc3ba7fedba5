/// The RFC 4648 base64 algorithm, parameterised by alphabet and padding, so the standard (§4)
/// and URL-safe (§5) forms share one implementation.
///
/// Decoding is strict: no whitespace, no characters outside the alphabet, padding exactly where
/// the encoder puts it, and unused trailing bits zero (RFC 4648 §3.5). Every byte string then has
/// exactly one accepted encoding, which matters when encodings are compared or used as keys.
struct Base64Codec: Sendable {
    private static let invalid: UInt8 = 0xFF
    private static let padding = UInt8(ascii: "=")

    static let standard = Base64Codec(
        alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", padded: true)
    static let url = Base64Codec(
        alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", padded: false)

    private let alphabet: [UInt8]
    private let values: [UInt8]
    private let padded: Bool

    private init(alphabet: String, padded: Bool) {
        self.alphabet = Array(alphabet.utf8)
        var values = [UInt8](repeating: Self.invalid, count: 256)
        for (value, character) in self.alphabet.enumerated() {
            values[Int(character)] = UInt8(value)
        }
        self.values = values
        self.padded = padded
    }

    func encode<D: Collection>(_ bytes: D) -> String where D.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = second == nil ? nil : iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            let characters = second == nil ? 2 : third == nil ? 3 : 4
            for index in 0..<characters {
                output.append(alphabet[Int(group >> (18 - 6 * UInt32(index)) & 0x3F)])
            }
            if padded {
                output.append(contentsOf: repeatElement(Self.padding, count: 4 - characters))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    func decode(_ string: String) -> [UInt8]? {
        var input = Array(string.utf8)
        if padded {
            guard input.count % 4 == 0 else { return nil }
            var paddingCount = 0
            while paddingCount < 2, input.last == Self.padding {
                input.removeLast()
                paddingCount += 1
            }
        }
        // A lone trailing character carries only 6 bits: never a whole byte.
        guard input.count % 4 != 1 else { return nil }

        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 4)
        var index = 0
        while index < input.count {
            let characters = min(4, input.count - index)
            var group: UInt32 = 0
            for offset in 0..<4 {
                var value: UInt8 = 0
                if offset < characters {
                    value = values[Int(input[index + offset])]
                    guard value != Self.invalid else { return nil }
                }
                group = group << 6 | UInt32(value)
            }
            let byteCount = characters - 1
            // Bits below the last whole byte must be zero, or two strings would decode alike.
            guard group & ((1 << (8 * (3 - UInt32(byteCount)))) - 1) == 0 else { return nil }
            for byte in 0..<byteCount {
                output.append(UInt8(truncatingIfNeeded: group >> (16 - 8 * UInt32(byte))))
            }
            index += characters
        }
        return output
    }
}
