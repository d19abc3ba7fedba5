/// The process "died" at a ``FaultPlan`` point (``FaultPlan/Crash/simulate``). The runner journals nothing
/// after it and lets it out of `rotate` / `drive`, as if the process had stopped there.
struct SimulatedCrash: Error, CustomStringConvertible {
    let point: FaultPlan.Point
    let step: RotationStep

    var description: String { "simulated crash at \(point.rawValue):\(step.key)" }
}
