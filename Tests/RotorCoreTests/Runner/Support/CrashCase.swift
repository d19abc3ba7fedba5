@testable import RotorCore
import Testing

/// Where a runner "dies": a point of one step, reached on one path through a rotation.
struct CrashCase: Sendable, CustomTestStringConvertible {
    /// The path a rotation takes, and so the steps a crash can interrupt.
    enum Path: String, Sendable, CaseIterable {
        /// `rotor rotate`: generate, propagate to both targets, verify, promote; the rotation then waits out its grace.
        case rotate
        /// The check rejects the new value: verify fails, both targets are restored, the new credential is revoked.
        case failingCheck
        /// The grace ended: the old credential is revoked.
        case graceEnd
        /// An operator rolls back during grace: targets restored, labels back, the new credential revoked.
        case rollbackInGrace

        var steps: [RotationStep] {
            switch self {
            case .rotate: [.generate, .propagate(0), .propagate(1), .verify(0), .promote]
            case .failingCheck: [.verify(0), .undoPropagate(1), .undoPropagate(0), .revokeNew]
            case .graceEnd: [.revokeOld]
            case .rollbackInGrace: [.undoPropagate(1), .undoPropagate(0), .undoPromote, .revokeNew]
            }
        }

        /// The points a step passes on this path: a failing step has no effect to crash after.
        func points(of step: RotationStep) -> [FaultPlan.Point] {
            self == .failingCheck && step == .verify(0) ? [.crashBefore, .crashAfter] : FaultPlan.Point.allCases
        }

        /// Where the next pass after the crash leaves the rotation.
        var settlesIn: RotationState {
            switch self {
            case .rotate: .grace
            case .failingCheck, .rollbackInGrace: .rolledBack
            case .graceEnd: .completed
            }
        }
    }

    let path: Path
    let point: FaultPlan.Point
    let step: RotationStep

    var fault: FaultPlan { FaultPlan(point: point, step: step.key, crash: .simulate) }
    var testDescription: String { "\(path.rawValue) \(point.rawValue):\(step.key)" }

    static let all: [CrashCase] = Path.allCases.flatMap { path in
        path.steps.flatMap { step in path.points(of: step).map { CrashCase(path: path, point: $0, step: step) } }
    }
}
