import Testing

@Test func placeholder_core() { #expect(Bool(true)) }
