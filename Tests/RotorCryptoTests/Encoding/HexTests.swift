import RotorCrypto
import Testing

@Suite("Hex")
struct HexTests {
    @Test func encodesLowercaseTwoCharactersPerByte() {
        #expect(Hex.encode([]) == "")
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        // RFC 4648 §10 base16 vector.
        #expect(Hex.encode(utf8("foobar")) == "666f6f626172")
    }

    @Test func decodesEitherCase() {
        #expect(Hex.decode("000fa0ff") == [0x00, 0x0f, 0xa0, 0xff])
        #expect(Hex.decode("000FA0FF") == [0x00, 0x0f, 0xa0, 0xff])
        #expect(Hex.decode("666F6F626172") == utf8("foobar"))
        #expect(Hex.decode("") == [])
    }

    @Test func decodeRejectsOddLengthsAndNonHexCharacters() {
        for input in ["0", "abc", "0g", "zz", " 00", "00 ", "0x00", "é0"] {
            #expect(Hex.decode(input) == nil, "\(input)")
        }
    }

    @Test func roundTripsEveryByteValue() {
        let all = (0...255).map(UInt8.init)
        #expect(Hex.decode(Hex.encode(all)) == all)
    }
}
