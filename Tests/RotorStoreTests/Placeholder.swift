import Testing

@Test func placeholder_RotorStoreTests() { #expect(Bool(true)) }
