import Testing

@Test func placeholder_server() { #expect(Bool(true)) }
