import Foundation
import RotorCore

/// Cross-field rules of the manual source: `expect` must compile, the `test` and `revoke_check` requests may use
/// only `{{value}}`, only in header values, and a `revoke_check` must expect what the vendor answers a dead key.
enum ManualRules {
    static func check(_ fields: [String: ConfigValue]) -> [ProviderSchema.Problem] {
        var problems: [ProviderSchema.Problem] = []
        if let expect = fields["expect"]?.stringValue {
            if expect.isEmpty {
                problems.append((field: "expect", message: "'expect' must not be empty"))
            } else if (try? NSRegularExpression(pattern: expect)) == nil {
                problems.append((field: "expect", message: "'expect' is not a valid regular expression"
                                 + ProviderSchema.hintSeparator + "for example ^rk_live_[A-Za-z0-9]{24,}$"))
            }
        }
        for field in ["test", "revoke_check"] {
            problems += testFields(Dictionary(fields[field]?.mapValue ?? [], uniquingKeysWith: { _, last in last }), field: field)
        }
        problems += requestProblems(fields, field: "test", what: "the supplied value")
        problems += requestProblems(fields, field: "revoke_check", what: "the OLD value")
        let revokeCheck = Dictionary(fields["revoke_check"]?.mapValue ?? [], uniquingKeysWith: { _, last in last })
        if fields["revoke_check"] != nil, (200...299).contains(revokeCheck["expect_status"]?.intValue ?? ManualTest.revokeStatus) {
            problems.append((field: "revoke_check", message: "revoke_check expect_status is what the vendor answers the OLD, "
                             + "revoked key; a 2xx would pass while that key still works"
                             + ProviderSchema.hintSeparator + "expect_status: 401"))
        }
        if fields["test"] == nil && fields["expect"] == nil {
            problems.append((field: nil, message: "a manual source needs 'expect' or 'test' (or both), so that a mistyped value is refused"
                             + ProviderSchema.hintSeparator + "expect: \"^rk_live_[A-Za-z0-9]{24,}$\""))
        }
        return problems
    }

    /// The value goes only into header values, and `{{value}}` is the only placeholder (`what` it stands for).
    private static func requestProblems(_ fields: [String: ConfigValue], field: String, what: String) -> [ProviderSchema.Problem] {
        var problems: [ProviderSchema.Problem] = []
        let request = Dictionary(fields[field]?.mapValue ?? [], uniquingKeysWith: { _, last in last })
        if let url = request["url"]?.stringValue, url.contains("{{") {
            problems.append((field: field, message: "\(field) url must not use placeholders: the value goes only in header values"
                             + ProviderSchema.hintSeparator + "headers: { Authorization: \"Bearer {{value}}\" }"))
        }
        for (header, value) in request["headers"]?.mapValue ?? [] {
            let text = value.stringValue ?? ""
            let names = text.components(separatedBy: "{{").dropFirst().compactMap { $0.components(separatedBy: "}}").first }
            for name in names where name != "value" {
                problems.append((field: field, message: "\(field) header \(header) uses {{\(name)}}; it knows only {{value}} (\(what))"))
            }
        }
        return problems
    }

    /// Which fields each kind of `test:` (or `revoke_check:`) takes: `http` needs `url`; `github-app` takes `app_id` or `client_id`
    /// (the rest of its rules are the github-app check's own, applied when the registry builds it).
    private static func testFields(_ test: [String: ConfigValue], field: String) -> [ProviderSchema.Problem] {
        guard let provider = test["provider"]?.stringValue else { return [] }
        let other: Set<String> = provider == "http" ? ["app_id", "client_id", "api_url"] : ["url", "method", "headers"]
        var problems = test.keys.filter(other.contains).sorted().map { name -> ProviderSchema.Problem in
            (field: field, message: "\(field) field \(name) does not apply to a \(provider) test")
        }
        if provider == "http", test["url"] == nil {
            problems.append((field: field, message: "an http \(field) needs url" + ProviderSchema.hintSeparator
                             + "url: https://api.stripe.com/v1/balance"))
        }
        if provider != "http" {
            let appID = test["app_id"]?.stringValue, clientID = test["client_id"]?.stringValue
            if (appID == nil) == (clientID == nil) {
                problems.append((field: field, message: "a github-app \(field) needs app_id or client_id (one of them)"
                                 + ProviderSchema.hintSeparator + "\(field): { provider: github-app, app_id: 123456 }"))
            } else if let appID, appID.isEmpty || !appID.allSatisfy({ ("0"..."9").contains($0) }) {
                problems.append((field: field, message: "app_id is the App's number, e.g. 123456"))
            }
        }
        return problems
    }
}
