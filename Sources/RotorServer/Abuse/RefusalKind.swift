/// The kinds of failed attempt the service limits per client address.
enum RefusalKind: String, Sendable, CaseIterable {
    /// A reply link (`/r/{token}`) that is unknown, expired, used, or for a secret no longer managed.
    case replyLink = "reply link"
    /// A text reply (`POST /v1/replies`) without a valid signature.
    case replySignature = "text reply signature"
    /// A wrong or missing admin bearer token.
    case adminToken = "admin bearer token"
    /// A customer key that does not verify (`POST /v1/keys/verify`).
    case keyVerification = "key verification"
    /// A claim of a rotated key (`POST /v1/keys/claim`) refused: the old key is not valid, or no new key waits for it
    /// (already claimed, expired, never rotated by Rotor).
    case keyClaim = "key claim"
    /// A dashboard sign-in (`POST /ui/sign-in`) with a token that is no one's.
    case dashboardSignIn = "dashboard sign-in"
    /// A Slack interaction (`POST /v1/slack/interactions`) without a valid signature, replayed, or malformed.
    case slackSignature = "Slack interaction"

    /// The audit action of refusals of this kind; nil when they are not audited (a verification that
    /// answers "not valid" is an answer, not a refusal, and was never audited).
    var auditAction: String? {
        switch self {
        case .replyLink, .replySignature: "reply.refused"
        case .adminToken: "admin.refused"
        case .keyVerification: nil
        case .keyClaim: "key.claim_refused"
        case .dashboardSignIn: "dashboard.sign_in_refused"
        case .slackSignature: "slack.refused"
        }
    }

    /// Who the audit rows name as the actor.
    var actor: String {
        switch self {
        case .replyLink: "link"
        case .replySignature: "reply-bridge"
        case .adminToken: "admin-api"
        case .keyVerification, .keyClaim: "customer"
        case .dashboardSignIn: "dashboard"
        case .slackSignature: "slack"
        }
    }

    /// What the audit rows are about.
    var subject: String {
        switch self {
        case .replyLink, .replySignature: "reply"
        case .adminToken: "admin-api"
        case .keyVerification, .keyClaim: "keys"
        case .dashboardSignIn: "dashboard"
        case .slackSignature: "slack"
        }
    }
}
