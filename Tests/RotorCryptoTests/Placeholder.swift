import Testing

@Test func placeholder_RotorCryptoTests() { #expect(Bool(true)) }
