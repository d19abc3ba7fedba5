import Testing

@Test func placeholder_sources() { #expect(Bool(true)) }
