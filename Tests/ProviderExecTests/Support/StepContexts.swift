import Foundation
import Logging
import RotorCore

/// A step context for a provider call.
func stepContext(step: RotationStep = .generate) -> StepContext {
    StepContext(secret: "test-secret", rotationID: "rot-test", step: step, idempotencyKey: UUID().uuidString,
                logger: Logger(label: "test"), clock: SystemClock())
}
