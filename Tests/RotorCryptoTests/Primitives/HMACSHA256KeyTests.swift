import Foundation
import RotorCrypto
import Testing

/// The pre-keyed HMAC context gives the same MACs as the one-shot function, however often and from however
/// many threads it is used.
@Suite("HMAC-SHA256 with a pre-keyed context")
struct HMACSHA256KeyTests {
    @Test("a pre-keyed context reproduces the RFC 4231 MAC", arguments: HMACVector.all)
    func matchesRFC4231(_ vector: HMACVector) {
        let key = HMACSHA256Key(vector.key)
        let mac = key.authenticate(vector.message)
        #expect(Hex.encode(mac.prefix(vector.mac.count)) == Hex.encode(vector.mac))
        // Its template is untouched by a MAC: the second is the same.
        #expect(key.authenticate(vector.message) == mac)
    }

    @Test func emptyKeyAndMessageAndManyThreadsAgreeWithTheOneShotMAC() async {
        #expect(HMACSHA256Key([]).authenticate([]) == HMACSHA256.authenticate(key: [], message: []))
        let pepper = SecureRandom.bytes(32)
        let key = HMACSHA256Key(pepper)
        let messages = (0..<64).map { Array("rk_live_message_\($0)".utf8) }
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var wrong = 0
                    for _ in 0..<50 {
                        for message in messages where key.authenticate(message) != HMACSHA256.authenticate(key: pepper, message: message) {
                            wrong += 1
                        }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
