#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A test-only switch that makes the process die at one journal boundary, exactly as `kill -9` would:
/// no cleanup, no flush, no `defer`. Set with `ROTOR_FAULT=POINT:STEP`, for example
/// `ROTOR_FAULT=crash-after:propagate:0`.
///
/// Points, in the order a step passes them:
/// - `crash-before:STEP`: the step is journaled as started, its effect has not happened;
/// - `crash-after-effect:STEP`: the effect happened, its outcome is not journaled;
/// - `crash-after:STEP`: the outcome is journaled.
public struct FaultPlan: Sendable, Equatable {
    public enum Point: String, Sendable, CaseIterable {
        case crashBefore = "crash-before"
        case crashAfterEffect = "crash-after-effect"
        case crashAfter = "crash-after"
    }

    /// How the "crash" happens.
    public enum Crash: Sendable, Equatable {
        /// The process exits at once with status 137, as after SIGKILL (what `ROTOR_FAULT` does).
        case exitProcess
        /// The runner throws ``SimulatedCrash`` out of `rotate` / `drive` and journals nothing further, so a
        /// unit test can survive the "crash" and resume with a new runner in the same process.
        case simulate
    }

    public let point: Point
    public let step: String
    public let crash: Crash

    public init(point: Point, step: String, crash: Crash = .exitProcess) {
        self.point = point
        self.step = step
        self.crash = crash
    }

    /// Parses `ROTOR_FAULT`; nil when unset or not understood.
    public init?(environment: [String: String]) {
        guard let text = environment["ROTOR_FAULT"], !text.isEmpty else { return nil }
        for point in Point.allCases where text.hasPrefix(point.rawValue + ":") {
            let step = String(text.dropFirst(point.rawValue.count + 1))
            guard RotationStep(key: step) != nil else { return nil }
            self.init(point: point, step: step)
            return
        }
        return nil
    }

    /// "Dies" when this is the planned point: exits the process (status 137, as after SIGKILL), or
    /// throws ``SimulatedCrash``, which the runner lets through without journaling anything.
    func trip(_ point: Point, _ step: RotationStep) throws(SimulatedCrash) {
        guard point == self.point, step.key == self.step else { return }
        switch crash {
        case .exitProcess: _exit(137)
        case .simulate: throw SimulatedCrash(point: point, step: step)
        }
    }
}
