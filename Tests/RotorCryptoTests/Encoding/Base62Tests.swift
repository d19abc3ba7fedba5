import RotorCrypto
import Testing

@Suite("Base62")
struct Base62Tests {
    @Test func encodesAsABigEndianNumber() {
        #expect(Base62.encode([]) == "")
        #expect(Base62.encode([1]) == "1")
        #expect(Base62.encode([61]) == "z")
        #expect(Base62.encode([62]) == "10")
        #expect(Base62.encode([0xff]) == "47")  // 255 = 4 × 62 + 7
        #expect(Base62.encode([0x01, 0x00]) == "48")  // 256 = 4 × 62 + 8
        #expect(Base62.encode([0xff, 0xff, 0xff, 0xff]) == "4gfFC3")
    }

    @Test func keepsLeadingZeroBytes() {
        #expect(Base62.encode([0]) == "0")
        #expect(Base62.encode([0, 0, 1]) == "001")
        #expect(Base62.decode("001") == [0, 0, 1])
        #expect(Base62.decode("000") == [0, 0, 0])
        for zeros in 0...4 {
            let input = [UInt8](repeating: 0, count: zeros) + SecureRandom.bytes(8)
            #expect(Base62.decode(Base62.encode(input)) == input)
        }
    }

    @Test func roundTripsRandomBytesOfEveryLength() {
        for length in 0...64 {
            let input = SecureRandom.bytes(length)
            let encoded = Base62.encode(input)
            #expect(encoded.allSatisfy { Base62.alphabet.contains($0) })
            #expect(Base62.decode(encoded) == input)
        }
    }

    @Test func decodeRejectsCharactersOutsideTheAlphabet() {
        for input in ["abc-", "a b", "_", "é", "+/"] {
            #expect(Base62.decode(input) == nil)
        }
    }

    @Test func fixedWidthEncodingPadsAndFitsAnyUInt32() {
        #expect(Base62.encode(0, width: 6) == "000000")
        #expect(Base62.encode(61, width: 6) == "00000z")
        #expect(Base62.encode(62, width: 6) == "000010")
        #expect(Base62.encode(UInt32.max, width: 6) == "4gfFC3")
        #expect(Base62.encode(UInt32.max, width: 6).count == 6)
        #expect(Base62.encode(0xCBF4_3926, width: 6).count == 6)
        // Never truncated: too small a width gives the full value.
        #expect(Base62.encode(62, width: 1) == "10")
    }

    @Test func randomStringUsesOnlyTheAlphabetAtTheRightLength() {
        for length in [0, 1, 30, 200] {
            let string = Base62.randomString(length: length)
            #expect(string.count == length)
            #expect(string.allSatisfy { Base62.alphabet.contains($0) })
        }
    }

    @Test func randomStringCoversTheWholeAlphabetEvenly() {
        // 620,000 draws: each character expected 10,000 times (σ ≈ 99). Taking bytes modulo 62
        // would push the first 8 characters to about 12,100; the ±600 band (6σ) lets chance pass
        // (odds of a false failure about 1 in 10⁷) but not bias or a missing character.
        var counts: [Character: Int] = [:]
        for character in Base62.randomString(length: 620_000) { counts[character, default: 0] += 1 }
        #expect(counts.count == 62)
        for (character, count) in counts {
            #expect((9_400...10_600).contains(count), "\(character) drawn \(count) times")
        }
    }
}
