/// The I/O of one kind of ``RotationStep``. ``RotationMachine`` decides which steps run; an effect only
/// performs its step and journals the success through ``StepRun/succeed(_:audit:)`` (the runner journals
/// the start and any failure).
protocol StepEffect: Sendable {
    /// Performs the step's effect and journals its success, in the same transaction as any store change the
    /// step makes. Returns the line to show the operator; throws when the step failed.
    func perform(_ run: StepRun) async throws -> String
}

extension RotationStep {
    /// The effect that performs this step.
    var effect: any StepEffect {
        switch self {
        case .generate: GenerateStep()
        case .propagate(let index): PropagateStep(target: index)
        case .verify(let index): VerifyStep(check: index)
        case .promote: PromoteStep()
        case .revokeOld: RevokeOldStep()
        case .undoPropagate(let index): UndoPropagateStep(target: index)
        case .undoPromote: UndoPromoteStep()
        case .revokeNew: RevokeNewStep()
        }
    }
}
