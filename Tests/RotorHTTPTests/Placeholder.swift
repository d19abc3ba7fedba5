import Testing

@Test func placeholder_RotorHTTPTests() { #expect(Bool(true)) }
