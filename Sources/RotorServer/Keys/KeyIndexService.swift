import RotorKeyTable
import ServiceLifecycle

/// Keeps the key index current and writes its batched uses while the service runs; on graceful shutdown
/// it writes the uses still held, so a clean stop loses none.
struct KeyIndexService: Service {
    let index: KeyIndex

    func run() async throws {
        await cancelWhenGracefulShutdown { await index.run() }
    }
}
