import RotorKeyTable
import Testing

/// The shape check every verification runs first, byte by byte: whatever a client sends in any position of
/// the random part, only base-62 digits pass to the checksum.
@Suite("API key format")
struct APIKeyFormatTests {
    @Test func everyByteValueInEveryRandomPositionIsJudgedAsBase62() {
        let key = Array(APIKeyFormat.generate().utf8)
        #expect(APIKeyFormat.check(String(decoding: key, as: UTF8.self)) == nil)
        let base62 = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        var mismatches: [String] = []
        for position in APIKeyFormat.prefix.utf8.count..<APIKeyFormat.length {
            for value in UInt8.min...UInt8.max {
                var changed = key
                changed[position] = value
                let problem = changed.withUnsafeBytes { APIKeyFormat.check(utf8: $0) }
                let expected: APIKeyFormat.Problem? = !base62.contains(value) ? .badFormat : value == key[position] ? nil : .badChecksum
                if problem != expected { mismatches.append("byte \(value) at \(position): \(String(describing: problem))") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func wrongLengthsAndPrefixesAreBadFormat() {
        let key = APIKeyFormat.generate()
        #expect(APIKeyFormat.check(String(key.dropLast())) == .badFormat)
        #expect(APIKeyFormat.check(key + "a") == .badFormat)
        #expect(APIKeyFormat.check("rk_test_" + key.dropFirst(8)) == .badFormat)
        #expect(APIKeyFormat.check("") == .badFormat)
    }
}
