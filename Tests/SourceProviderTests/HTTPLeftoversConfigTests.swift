import Testing

/// `leftovers:` of the `http` source is validated strictly: a pattern that cannot identify a rotation, or a
/// mint that does not use it, is a playbook error, not a sweep that silently finds nothing.
@Suite struct HTTPLeftoversConfigTests {
    static func source(name: String = "rotor-{{secret}}-{{rotation_id}}", mintName: String = "rotor-{{secret}}-{{rotation_id}}",
                       extra: String = "", deleteURL: String = "https://v.example/accounts/{{id}}") -> String {
        """
        provider: http
        mint: { url: "https://v.example/accounts", body: { name: "\(mintName)" } }
        value: /api_key/value
        handle: /id
        leftovers:
          name: "\(name)"
          list: { url: "https://v.example/accounts?limit=100" }
          items: /data
          delete: { url: "\(deleteURL)" }
        \(extra)
        """
    }

    @Test func aLeftoversBlockThatNamesEachMintForItsRotationIsValid() {
        #expect(Playbooks.problems(source: Self.source()).isEmpty)
        #expect(Playbooks.problems(source: Self.source(extra: "  has_more: /has_more\n  cursor_param: after")).isEmpty)
    }

    @Test func theNameMustCarryTheRotationIDExactlyOnce() {
        #expect(Playbooks.problems(source: Self.source(name: "rotor-{{secret}}", mintName: "rotor-{{secret}}"))
            .contains { $0.contains("{{rotation_id}} exactly once") })
        #expect(Playbooks.problems(source: Self.source(name: "{{rotation_id}}-{{rotation_id}}", mintName: "{{rotation_id}}-{{rotation_id}}"))
            .contains { $0.contains("{{rotation_id}} exactly once") })
        #expect(Playbooks.problems(source: Self.source(name: "{{token}}-{{rotation_id}}", mintName: "{{token}}-{{rotation_id}}"))
            .contains { $0.contains("not {{token}}") })
    }

    @Test func theMintMustUseTheNameAndDeleteMustUseTheID() {
        #expect(Playbooks.problems(source: Self.source(mintName: "rotor {{idempotency_key}}"))
            .contains { $0.contains("the mint body must name the credential") })
        #expect(Playbooks.problems(source: Self.source(deleteURL: "https://v.example/accounts"))
            .contains { $0.contains("must use {{id}}") })
    }

    @Test func pagingNeedsBothTheFlagAndTheCursorParameter() {
        #expect(Playbooks.problems(source: Self.source(extra: "  has_more: /has_more"))
            .contains { $0.contains("go together") })
    }

    @Test func anUnknownKeyInLeftoversIsRefused() {
        #expect(!Playbooks.problems(source: Self.source(extra: "  match: x")).isEmpty)
    }
}
