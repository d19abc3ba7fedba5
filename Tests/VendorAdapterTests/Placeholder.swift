import Testing

@Test func placeholder_vendor() { #expect(Bool(true)) }
