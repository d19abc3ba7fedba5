/// Times a loop of `iterations` and returns operations per second.
enum Stopwatch {
    static func rate(_ iterations: Int, _ body: (Int) -> Void) -> Double {
        let clock = ContinuousClock()
        let elapsed = clock.measure { for index in 0..<iterations { body(index) } }
        return Double(iterations) / seconds(elapsed)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `1,234,567`.
    static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var out = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return String(out.reversed())
    }
}
