import RotorCrypto
import Testing

@Suite("SecureRandom")
struct SecureRandomTests {
    @Test func returnsTheRequestedNumberOfBytes() {
        for count in [0, 1, 12, 32, 4096] {
            #expect(SecureRandom.bytes(count).count == count)
        }
    }

    @Test func successiveDrawsDiffer() {
        // Two equal 32-byte draws would mean a broken generator (chance 2^-256 otherwise).
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
    }

    @Test func everyByteValueTurnsUp() {
        // 64 KiB of uniform bytes misses a given value with probability about e^-256.
        let values = Set(SecureRandom.bytes(65_536))
        #expect(values.count == 256)
    }
}
