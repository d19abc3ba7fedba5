import Foundation
import Logging
import RotorCore
import RotorReport
import RotorCrypto
import RotorKeyTable

/// Everything the service works with, passed in by whoever starts it (the daemon, `rotor serve`, a test).
public struct ServiceDependencies: Sendable {
    public var store: any Store
    public var sealer: Sealer
    public var clock: any RotorClock
    public var logger: Logger
    /// The loaded playbooks, by secret name.
    public var playbooks: [String: Playbook]
    public var runner: RotationRunner
    public var keyTable: KeyTable
    public var replyTokens: ReplyTokens
    /// Where people reach the service (rotor.yml `server.public_url`), for links on pages; nil if unset.
    public var publicURL: String?
    /// The bearer token of the admin endpoints; nil disables them (503).
    public var adminToken: SecretValue?
    /// The HMAC key chat and SMS bridges sign text replies with; nil disables `POST /v1/replies` (503).
    public var replySecret: [UInt8]?
    /// What `GET /metrics` serves; nil: the route answers 404.
    public var metrics: MetricsExposition?
    /// The people of rotor.yml's `users:` with their resolved tokens, who may sign in to the dashboard (as may the
    /// admin token's holder).
    public var users: [DashboardAccount]
    /// The `slack-app` channels whose button clicks `POST /v1/slack/interactions` accepts; none disables it (503).
    public var slackApps: [SlackAppEndpoint]
    /// What an Approve button does; by default every approval is refused as not available.
    public var approvals: ApprovalHandler
    /// The compliance report over a period (what `rotor report` prints), offered for download by the dashboard; nil
    /// where whoever built the server has none (the dashboard then says so).
    public var periodReport: (@Sendable (ReportPeriod) async throws -> PeriodReport)?
    /// Reads what the targets hold (read-only), for the dashboard's "Read targets now"; nil where whoever built the
    /// server has no providers to read with (the page then offers no read-back).
    public var targetInspector: DriftInspector?
    /// The problems of playbook files that did not validate, by the secret they declare: the dashboard shows them
    /// (a secret whose playbook is broken is not rotated until it is fixed).
    public var invalidPlaybooks: [String: [String]] = [:]

    public init(store: any Store, sealer: Sealer, clock: any RotorClock, logger: Logger, playbooks: [String: Playbook],
                runner: RotationRunner, keyTable: KeyTable, replyTokens: ReplyTokens, publicURL: String? = nil,
                adminToken: SecretValue? = nil, replySecret: [UInt8]? = nil, metrics: MetricsExposition? = nil,
                slackApps: [SlackAppEndpoint] = [], approvals: ApprovalHandler = .unavailable, users: [DashboardAccount] = []) {
        self.store = store
        self.sealer = sealer
        self.clock = clock
        self.logger = logger
        self.playbooks = playbooks
        self.runner = runner
        self.keyTable = keyTable
        self.replyTokens = replyTokens
        self.publicURL = publicURL
        self.adminToken = adminToken
        self.replySecret = replySecret
        self.metrics = metrics
        self.users = users
        self.slackApps = slackApps
        self.approvals = approvals
    }
}
