import Foundation
import RotorCore

/// Cross-field rules of the manual source: `expect` must compile, and the test request may use only `{{value}}`,
/// only in header values.
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
        let test = Dictionary(fields["test"]?.mapValue ?? [], uniquingKeysWith: { _, last in last })
        problems += testFields(test)
        if let url = test["url"]?.stringValue, url.contains("{{") {
            problems.append((field: "test", message: "test url must not use placeholders: the value goes only in header values"
                             + ProviderSchema.hintSeparator + "headers: { Authorization: \"Bearer {{value}}\" }"))
        }
        for (header, value) in test["headers"]?.mapValue ?? [] {
            let text = value.stringValue ?? ""
            let names = text.components(separatedBy: "{{").dropFirst().compactMap { $0.components(separatedBy: "}}").first }
            for name in names where name != "value" {
                problems.append((field: "test", message: "test header \(header) uses {{\(name)}}; the test knows only {{value}}"))
            }
        }
        if fields["test"] == nil && fields["expect"] == nil {
            problems.append((field: nil, message: "a manual source needs 'expect' or 'test' (or both), so that a mistyped value is refused"
                             + ProviderSchema.hintSeparator + "expect: \"^rk_live_[A-Za-z0-9]{24,}$\""))
        }
        return problems
    }

    /// Which `test:` fields each kind of test takes: `http` needs `url`; `github-app` takes `app_id` or `client_id`
    /// (the rest of its rules are the github-app check's own, applied when the registry builds it).
    private static func testFields(_ test: [String: ConfigValue]) -> [ProviderSchema.Problem] {
        guard let provider = test["provider"]?.stringValue else { return [] }
        let other: Set<String> = provider == "http" ? ["app_id", "client_id", "api_url"] : ["url", "method", "headers"]
        var problems = test.keys.filter(other.contains).sorted().map { name -> ProviderSchema.Problem in
            (field: "test", message: "test field \(name) does not apply to a \(provider) test")
        }
        if provider == "http", test["url"] == nil {
            problems.append((field: "test", message: "an http test needs url" + ProviderSchema.hintSeparator
                             + "url: https://api.stripe.com/v1/balance"))
        }
        if provider != "http" {
            let appID = test["app_id"]?.stringValue, clientID = test["client_id"]?.stringValue
            if (appID == nil) == (clientID == nil) {
                problems.append((field: "test", message: "a github-app test needs app_id or client_id (one of them)"
                                 + ProviderSchema.hintSeparator + "test: { provider: github-app, app_id: 123456 }"))
            } else if let appID, appID.isEmpty || !appID.allSatisfy({ ("0"..."9").contains($0) }) {
                problems.append((field: "test", message: "app_id is the App's number, e.g. 123456"))
            }
        }
        return problems
    }
}
