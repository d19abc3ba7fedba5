import Testing

@Test func placeholder_notifiers() { #expect(Bool(true)) }
