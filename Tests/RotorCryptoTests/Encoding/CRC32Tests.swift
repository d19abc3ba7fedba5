import RotorCrypto
import Testing

@Suite("CRC32")
struct CRC32Tests {
    @Test func matchesTheStandardCheckValue() {
        // The CRC-32/ISO-HDLC check value from the CRC catalogue, also zlib's crc32.
        #expect(CRC32.checksum(utf8("123456789")) == 0xCBF4_3926)
    }

    @Test func matchesZlibOnOtherInputs() {
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum("The quick brown fox jumps over the lazy dog".utf8) == 0x414F_A339)
    }

    @Test func acceptsSlicesAndViews() {
        let padded = utf8("xx123456789xx")
        #expect(CRC32.checksum(padded[2..<11]) == 0xCBF4_3926)
        #expect(CRC32.checksum("123456789".utf8) == 0xCBF4_3926)
    }

    @Test func noticesASingleChangedCharacter() {
        #expect(CRC32.checksum(utf8("123456780")) != 0xCBF4_3926)
    }
}
