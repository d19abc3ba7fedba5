import RotorCrypto
import Testing

/// The raw-bytes CRC-32 (eight bytes at a time) agrees with the generic byte-at-a-time one on every length.
@Suite("CRC-32 on raw bytes")
struct CRC32SlicedTests {
    @Test func agreesWithTheGenericChecksumOnEveryLengthAndTheCheckValue() {
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
        for length in 0..<200 {
            let bytes = SecureRandom.bytes(length)
            #expect(bytes.withUnsafeBytes { CRC32.checksum($0) } == CRC32.checksum(bytes[...]), "length \(length)")
        }
    }
}
