import Foundation
import Synchronization

/// The work a click starts that outlives its answer (a rotation and the message update after it), kept so that a
/// caller can wait for it: tests, and ``RotorService/settleSlackFollowUps()``.
final class SlackFollowUps: Sendable {
    private let tasks = Mutex<[UUID: Task<Void, Never>]>([:])

    /// Runs `work` in the background.
    func start(_ work: @escaping @Sendable () async -> Void) {
        let id = UUID()
        tasks.withLock { tasks in
            tasks[id] = Task { [weak self] in
                await work()
                _ = self?.tasks.withLock { $0.removeValue(forKey: id) }
            }
        }
    }

    /// Waits for everything started so far (and what that starts) to finish.
    func settle() async {
        while let next = tasks.withLock({ $0.values.first }) {
            // A task takes itself out of the list before it ends, so this loop moves on.
            await next.value
        }
    }
}
