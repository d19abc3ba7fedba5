import Testing

@Test func placeholder_sandbox() { #expect(Bool(true)) }
