/// What the report found about the customer keys over the period.
struct KeyFindings {
    /// Exceptions listed one by one (capped).
    var listed: [AgeFinding] = []
    /// Every exception, listed or not.
    var exceptions = 0
    /// Keys active at some time in the period.
    var counted = 0
    var emergencies: [EmergencyFinding] = []
    var histogram: [PeriodReport.KeyAgeBucket] = []
}
