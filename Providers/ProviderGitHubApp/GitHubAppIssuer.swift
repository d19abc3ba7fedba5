import RotorCore

/// Who a GitHub App JWT says issued it (`iss`): the App ID (a number, written as one, as GitHub's examples do) or
/// the App's client ID (a string).
public struct GitHubAppIssuer: Sendable, Equatable {
    /// The text of the App ID or client ID.
    public let text: String
    /// Whether it is the numeric App ID.
    public let isAppID: Bool

    public init(appID: String?, clientID: String?) {
        text = appID ?? clientID ?? ""
        isAppID = appID != nil
    }

    /// The claim's JSON value.
    var json: String {
        if isAppID, !text.isEmpty, text.allSatisfy(\.isASCIIDigit) { return text }
        return JSONString.quoted(text)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
