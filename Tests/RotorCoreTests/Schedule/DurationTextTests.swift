import Testing
import RotorCore

@Suite("Duration syntax")
struct DurationTextTests {
    @Test(arguments: [("30s", 30), ("15m", 900), ("72h", 259_200), ("90d", 7_776_000), ("2w", 1_209_600),
                      ("0s", 0), ("1d", 86_400), ("007m", 420)] as [(String, Int64)])
    func acceptedFormParsesToExactSeconds(_ text: String, _ seconds: Int64) throws {
        #expect(try DurationText.parse(text) == .seconds(seconds))
    }

    @Test(arguments: ["30", "1.5h", "3 days", "-1d", "10y", "", "d", "30D", " 30d", "30d ", "+1d", "1h30m", "1e3s", "٣d"])
    func otherFormsAreRefusedNamingTheAcceptedOnes(_ text: String) {
        #expect {
            _ = try DurationText.parse(text)
        } throws: { error in
            let error = error as? DurationTextError
            return error?.text == text && error?.reason == "use a whole number and one unit: 30s, 15m, 72h, 90d or 2w"
        }
    }

    @Test func absurdlyLongDurationsAreRefused() {
        #expect(throws: DurationTextError.self) { try DurationText.parse("36501d") }
        #expect(throws: DurationTextError.self) { try DurationText.parse("999999999999w") }
        #expect(throws: DurationTextError.self) { try DurationText.parse("99999999999999999999s") }
        #expect((try? DurationText.parse("36500d")) == .seconds(36_500 * 86_400))
    }

    @Test(arguments: [(604_800, "7d"), (1_209_600, "14d"), (129_600, "36h"), (5_400, "90m"), (45, "45s"), (0, "0s"), (86_401, "86401s")] as [(Int64, String)])
    func formatUsesTheLargestExactUnit(_ seconds: Int64, _ text: String) {
        #expect(DurationText.format(.seconds(seconds)) == text)
    }
}
