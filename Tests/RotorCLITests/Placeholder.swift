import Testing

@Test func placeholder_RotorCLITests() { #expect(Bool(true)) }
