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

    public let point: Point
    public let step: String

    public init(point: Point, step: String) {
        self.point = point
        self.step = step
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

    /// Exits the process at once (status 137, as after SIGKILL) when this is the planned point.
    func trip(_ point: Point, _ step: RotationStep) {
        guard point == self.point, step.key == self.step else { return }
        _exit(137)
    }
}
