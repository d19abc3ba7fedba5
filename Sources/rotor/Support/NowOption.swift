import ArgumentParser
import Foundation
import RotorCore

/// `--now`: run as if it were another time. One parser for every command where time matters, so they accept
/// the same forms. Time still flows from the given instant, and whatever the command writes to the audit log
/// is marked `simulated_now`.
struct NowOption: ParsableArguments {
    @Option(help: ArgumentHelp("Run as if it were this time (ISO 8601, UTC); audit rows written are marked simulated_now.",
                               valueName: "TIME"),
            transform: TimeText.parseArgument)
    var now: Date?

    /// The clock the command runs on: the real one, or one that starts at `--now`.
    var clock: any RotorClock { now.map { OffsetClock(startingAt: $0) } ?? SystemClock() }
}
