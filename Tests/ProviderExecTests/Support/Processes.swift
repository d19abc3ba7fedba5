import Foundation

/// Processes as /proc shows them, to check that nothing a command started outlives it.
enum Processes {
    /// Ids of live processes whose command line contains `marker` (a zombie's command line is empty).
    static func alive(withArgument marker: String) -> [Int32] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap(Int32.init) ?? []
        return ids.filter { id in
            guard let data = FileManager.default.contents(atPath: "/proc/\(id)/cmdline") else { return false }
            return data.split(separator: 0).contains { String(decoding: $0, as: UTF8.self).contains(marker) }
        }
    }

    /// Kills what a failed test left behind, so one failure does not leave sleepers for the whole run.
    static func killAll(withArgument marker: String) {
        for id in alive(withArgument: marker) { kill(id, SIGKILL) }
    }
}
