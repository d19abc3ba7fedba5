import RotorCrypto
import Testing

@Suite("ConstantTime.equals")
struct ConstantTimeTests {
    @Test func equalArraysAreEqual() {
        #expect(ConstantTime.equals([], []))
        #expect(ConstantTime.equals([0], [0]))
        let random = SecureRandom.bytes(64)
        #expect(ConstantTime.equals(random, Array(random)))
    }

    @Test func aDifferenceAtAnyPositionIsNoticed() {
        let original = [UInt8](repeating: 0x5a, count: 32)
        for index in original.indices {
            var other = original
            other[index] ^= 0x01
            #expect(!ConstantTime.equals(original, other), "difference at byte \(index)")
        }
    }

    @Test func differentLengthsAreNotEqual() {
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([], [0]))
        #expect(!ConstantTime.equals([0], []))
    }
}
