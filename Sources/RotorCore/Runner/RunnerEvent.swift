/// Progress of a rotation as it happens, for the CLI's step-by-step output and for logs.
/// Labels name versions by fingerprint and last 4 only.
public enum RunnerEvent: Sendable, Equatable {
    case rotationStarted(rotationID: String, secret: String)
    /// An interrupted rotation is being picked up before anything else.
    case resumed(rotationID: String, state: RotationState)
    case stepSucceeded(RotationStep, message: String)
    case stepFailed(RotationStep, message: String)
    /// The step had nothing it could do (a source without a revoke step): the message says what stays undone.
    case stepSkipped(RotationStep, message: String)
    case finished(RotationState, message: String)
}
