import Foundation
import RotorCore
import RotorHTTP
import RotorNotifiers

extension RotorApp {
    /// One pass, as `rotor tick` and every daemon cycle run it: finish what is in flight (resume, grace ends,
    /// undo retries, customer key grace ends), then schedule (warnings, due rotations, customer keys near their
    /// age limit), then deliver the outbox. Playbooks are read afresh, so an edited playbook counts from the next
    /// pass. Never throws: what went wrong is an `error` item.
    public func tick(observer: @escaping @Sendable (RunnerEvent) -> Void = { _ in }) async -> [TickItem] {
        let playbooks = loadPlaybooks().playbooks
        let runner = runner(observer: observer)
        var items = await maintenance(playbooks: playbooks, runner: runner).tick()
        // Warnings seal their reply links and codes with this key, and delivery opens them: without it neither can run.
        let tokens: ReplyTokens
        do {
            tokens = try await replyTokens()
        } catch {
            items.append(TickItem(subject: "scheduler", action: "error", message: "\(error)"))
            return items
        }
        items += await scheduler(playbooks: playbooks, runner: runner, replyTokens: tokens).tick()
        // Last: deliver what this pass (and earlier ones) put in the outbox.
        let report = await outboxDelivery(replyTokens: tokens).deliverDue()
        if !report.isEmpty {
            items.append(TickItem(subject: "notifications", action: report.failed > 0 ? "delivery-failed" : "delivered",
                                  message: "\(report.sent) sent, \(report.retried) to retry, \(report.failed) given up"
                                    + (report.errors.isEmpty ? "" : ": " + report.errors.prefix(3).joined(separator: "; "))))
        }
        return items
    }

    /// Resumes interrupted rotations, ends grace periods and retries failed undos of `playbooks`' secrets, and
    /// ends the grace of rotated customer keys, and checks the targets for drift (daily per secret).
    public func maintenance(playbooks: [Playbook], runner: RotationRunner) -> Maintenance {
        Maintenance(runner: runner, store: store, clock: clock,
                    playbooks: Dictionary(playbooks.map { ($0.secret, $0) }, uniquingKeysWith: { first, _ in first }),
                    tasks: [keyTable(playbooks: playbooks), registry.leftoverMaintenance(playbooks: playbooks),
                            DriftWatch(store: store, factory: providers, playbooks: playbooks, logger: logger)]
                        + alertTasks(playbooks: playbooks, runner: runner), logger: logger)
    }

    /// Alerts about rotations stuck past their `step_timeout`, reminders of unresolved failures every
    /// `alerts.remind_every`, the daily compliance-overdue alert, and the reminders and escalations of what rotations
    /// wait on people for. `runner` is the pass's: a lease it kept after a
    /// failed resume does not hide a stuck rotation.
    public func alertTasks(playbooks: [Playbook], runner: RotationRunner? = nil) -> [any MaintenanceTask] {
        let secrets = playbooks.filter { !$0.isKeyTable }
        return [StuckAlerts(store: store, playbooks: secrets, alerts: config.alerts, idleOwner: runner?.owner),
                AlertReminders(store: store, alerts: config.alerts, playbooks: secrets, idleOwner: runner?.owner),
                ComplianceAlerts(store: store, playbooks: secrets, alerts: config.alerts),
                PersonRequestReminders(store: store, playbooks: secrets, alerts: config.alerts)]
    }

    /// Sends advance warnings (with reply links to ``publicURL``) and starts due rotations of `playbooks`; rotates
    /// customer keys near their age limit when one of them is the key-table policy.
    public func scheduler(playbooks: [Playbook], runner: RotationRunner) async throws -> Scheduler {
        scheduler(playbooks: playbooks, runner: runner, replyTokens: try await replyTokens())
    }

    /// The same, with the reply-token key already loaded.
    public func scheduler(playbooks: [Playbook], runner: RotationRunner, replyTokens: ReplyTokens) -> Scheduler {
        Scheduler(runner: runner, store: store, clock: clock, playbooks: playbooks, replyTokens: replyTokens,
                  keys: playbooks.contains(where: \.isKeyTable) ? keyTable(playbooks: playbooks) : nil,
                  configuration: .init(publicURL: publicURL, alerts: config.alerts), logger: logger)
    }

    /// Delivers due outbox rows through the channels of `rotor.yml`, under a lease owner of its own;
    /// `replyTokens` opens the sealed reply links and codes of warnings at send time.
    public func outboxDelivery(replyTokens: ReplyTokens, owner: String = LeaseOwner.make()) -> OutboxDelivery {
        OutboxDelivery(store: store, config: config, credentials: credentials, client: HTTPClient.shared,
                       replyTokens: replyTokens, clock: clock, owner: owner, logger: logger)
    }
}
