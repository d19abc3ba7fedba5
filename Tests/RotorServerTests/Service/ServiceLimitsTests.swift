import RotorServer
import Testing

/// The limits' defaults and their environment overrides.
@Suite("Service limits")
struct ServiceLimitsTests {
    @Test func theEnvironmentOverridesTheDefaultsAndBadValuesAreReported() {
        #expect(ServiceLimits.from(environment: [:]) == (ServiceLimits(), []))
        let (limits, problems) = ServiceLimits.from(environment: ["ROTOR_HTTP_IDLE_TIMEOUT": "0.5", "ROTOR_HTTP_FAILURE_LIMIT": "5"])
        #expect(limits.idleTimeout == .milliseconds(500))
        #expect(limits.failuresPerWindow == 5)
        #expect(problems.isEmpty)
        #expect(ServiceLimits.from(environment: ["ROTOR_HTTP_IDLE_TIMEOUT": "2m"]).limits.idleTimeout == .seconds(120))
        let bad = ServiceLimits.from(environment: ["ROTOR_HTTP_IDLE_TIMEOUT": "soon", "ROTOR_HTTP_FAILURE_LIMIT": "-1"])
        #expect(bad.limits == ServiceLimits())
        #expect(bad.problems.count == 2)
        #expect(bad.problems.allSatisfy { $0.hasPrefix("ROTOR_HTTP_") })
    }
}
