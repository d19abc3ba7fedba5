/// Base 62 (digits, then upper case, then lower case): alphanumeric only, so a key survives
/// double-click selection, URLs and shell quoting untouched.
///
/// Bytes are read as one big-endian number and written in base 62, the way Base58 does it; each
/// leading zero byte becomes one leading "0", so `decode(encode(bytes)) == bytes` for every input.
public enum Base62 {
    /// The 62 digits in value order.
    public static let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

    private static let digits = Array(alphabet.utf8)
    private static let zero = UInt8(ascii: "0")
    private static let values: [UInt8?] = {
        var values = [UInt8?](repeating: nil, count: 256)
        for (value, character) in digits.enumerated() {
            values[Int(character)] = UInt8(value)
        }
        return values
    }()

    /// Encodes `bytes` as a big-endian number in base 62, keeping leading zero bytes as "0"s.
    public static func encode(_ bytes: [UInt8]) -> String {
        let leadingZeros = bytes.prefix { $0 == 0 }.count
        let number = convert(bytes[leadingZeros...].map(Int.init), from: 256, to: 62)
        let output = [UInt8](repeating: zero, count: leadingZeros) + number.map { digits[$0] }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes a string made by `encode(_:)`; nil if it has a character outside the alphabet.
    public static func decode(_ string: String) -> [UInt8]? {
        let input = Array(string.utf8)
        var numerals: [Int] = []
        numerals.reserveCapacity(input.count)
        for character in input {
            guard let value = values[Int(character)] else { return nil }
            numerals.append(Int(value))
        }
        let leadingZeros = numerals.prefix { $0 == 0 }.count
        let number = convert(Array(numerals[leadingZeros...]), from: 62, to: 256)
        return [UInt8](repeating: 0, count: leadingZeros) + number.map { UInt8($0) }
    }

    /// Encodes `value` in base 62, left-padded with "0" to `width` characters.
    ///
    /// Six characters hold any `UInt32` (62⁶ > 2³²). A value that needs more than `width`
    /// characters is written in full rather than truncated, so no information is lost.
    public static func encode(_ value: UInt32, width: Int) -> String {
        var remaining = value
        var output: [UInt8] = []
        repeat {
            output.append(digits[Int(remaining % 62)])
            remaining /= 62
        } while remaining > 0
        if output.count < width {
            output.append(contentsOf: repeatElement(zero, count: width - output.count))
        }
        return String(decoding: output.reversed(), as: UTF8.self)
    }

    /// `length` characters drawn uniformly from the alphabet with `SecureRandom`.
    ///
    /// Uses rejection sampling: a random byte is kept only below 248 (= 4 × 62), so `byte % 62`
    /// is exactly uniform; taking every byte modulo 62 would favour the first 8 characters.
    public static func randomString(length: Int) -> String {
        precondition(length >= 0, "Base62.randomString: negative length \(length)")
        let limit = UInt8(256 - 256 % 62)
        var output: [UInt8] = []
        output.reserveCapacity(length)
        while output.count < length {
            // About 3% of bytes are rejected; a little headroom usually avoids a second draw.
            let needed = length - output.count
            for byte in SecureRandom.bytes(needed + needed / 16 + 4) where byte < limit {
                output.append(digits[Int(byte % 62)])
                if output.count == length { break }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Converts a big-endian number between bases; the result has no leading zero digits.
    /// Quadratic in the length, which is fine for keys and tokens of a few dozen bytes.
    private static func convert(_ input: [Int], from sourceBase: Int, to targetBase: Int) -> [Int] {
        var output: [Int] = []  // little-endian digits in targetBase
        for digit in input {
            var carry = digit
            for index in output.indices {
                carry += output[index] * sourceBase
                output[index] = carry % targetBase
                carry /= targetBase
            }
            while carry > 0 {
                output.append(carry % targetBase)
                carry /= targetBase
            }
        }
        return output.reversed()
    }
}
