import Testing

@Test func placeholder_RotorCoreTests() { #expect(Bool(true)) }
