import Foundation
import RotorCore

/// Cross-field rules of the `github-app` check: exactly one of `app_id` / `client_id`, an App ID is a number,
/// and `api_url` fills in no placeholders.
public enum GitHubAppRules {
    public static func check(_ fields: [String: ConfigValue]) -> [ProviderSchema.Problem] {
        var problems: [ProviderSchema.Problem] = []
        let appID = fields["app_id"]?.stringValue, clientID = fields["client_id"]?.stringValue
        switch (appID, clientID) {
        case (nil, nil):
            problems.append((field: nil, message: "a github-app check needs app_id (or client_id): the JWT's issuer"
                             + ProviderSchema.hintSeparator + "app_id: 123456 (GitHub → Settings → Developer settings → GitHub Apps)"))
        case (.some, .some):
            problems.append((field: "client_id", message: "give app_id or client_id, not both"))
        case (let id?, nil) where id.isEmpty || !id.allSatisfy(\.isASCIIDigit) || id.count > 20:
            problems.append((field: "app_id", message: "app_id is the App's number, e.g. 123456"
                             + ProviderSchema.hintSeparator + "or give client_id: Iv23…"))
        case (nil, let id?) where id.trimmingCharacters(in: .whitespaces).isEmpty || id.count > 100:
            problems.append((field: "client_id", message: "client_id is the App's client ID, e.g. Iv23liAbCdEf"))
        default: break
        }
        if let url = fields["api_url"]?.stringValue, url.contains("{{") {
            problems.append((field: "api_url", message: "api_url must not use placeholders: the key goes only into the JWT"))
        }
        return problems
    }
}
