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
}
