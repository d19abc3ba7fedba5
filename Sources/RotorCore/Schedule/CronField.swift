/// One of the five fields of a cron expression: its allowed range, names, and the parser for its text.
struct CronField: Sendable {
    let name: String
    let range: ClosedRange<Int>
    /// Names accepted in place of numbers (`JAN`, `SUN`), lower-cased, with their values.
    let names: [String: Int]

    static let minute = CronField(name: "minute", range: 0...59, names: [:])
    static let hour = CronField(name: "hour", range: 0...23, names: [:])
    static let dayOfMonth = CronField(name: "day-of-month", range: 1...31, names: [:])
    static let month = CronField(name: "month", range: 1...12, names: Dictionary(uniqueKeysWithValues:
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].enumerated().map { ($1, $0 + 1) }))
    // 7 is accepted as a second Sunday and folded onto 0 after parsing.
    static let dayOfWeek = CronField(name: "day-of-week", range: 0...7, names: Dictionary(uniqueKeysWithValues:
        ["sun", "mon", "tue", "wed", "thu", "fri", "sat"].enumerated().map { ($1, $0) }))

    private var allowed: String {
        let numbers = "\(range.lowerBound)-\(range.upperBound)"
        switch name {
        case "month": return "\(numbers) or JAN-DEC"
        case "day-of-week": return "\(numbers) (0 and 7 are Sunday) or SUN-SAT"
        default: return numbers
        }
    }

    /// The set of values the field text selects, as a bit set (bit n = value n).
    func parse(_ text: Substring, expression: String) throws(CronError) -> UInt64 {
        func fail(_ reason: String) -> CronError { CronError(expression, field: name, reason) }
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw fail("empty item in list \"\(text)\"") }
            let parts = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let base = parts[0]
            var low: Int
            var high: Int
            if base == "*" {
                (low, high) = (range.lowerBound, range.upperBound)
                if name == "day-of-week" { high = 6 }   // `*` means each day once, not Sunday twice
            } else if let dash = base.firstIndex(of: "-") {
                low = try value(base[..<dash], expression: expression)
                high = try value(base[base.index(after: dash)...], expression: expression)
                guard low <= high else {
                    throw fail("range \"\(base)\" runs backwards; write the smaller value first or use a list")
                }
            } else {
                low = try value(base, expression: expression)
                high = low
                if parts.count == 2 {
                    throw fail("a step needs a range: write \(low)-\(range.upperBound)/\(parts[1]) or */\(parts[1])")
                }
            }
            var step = 1
            if parts.count == 2 {
                // Digits only: `Int` alone would take `+5`, which cron does not.
                guard parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let parsed = Int(parts[1]), parsed >= 1 else {
                    throw fail("step \"\(parts[1])\" must be a whole number of 1 or more")
                }
                guard parsed <= range.upperBound else {
                    throw fail("step \(parsed) is larger than the field allows (at most \(range.upperBound))")
                }
                step = parsed
            }
            for number in stride(from: low, through: high, by: step) {
                bits |= 1 << UInt64(name == "day-of-week" && number == 7 ? 0 : number)
            }
        }
        return bits
    }

    private func value(_ text: Substring, expression: String) throws(CronError) -> Int {
        if let number = Int(text), text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard range.contains(number) else {
                throw CronError(expression, field: name, "\(number) is out of range (allowed \(allowed))")
            }
            return number
        }
        if let named = names[text.lowercased()] {
            return named
        }
        let hint: String
        if text.isEmpty {
            hint = "a value is missing"
        } else if ["?", "l", "w", "#"].contains(where: { text.lowercased().contains($0) }) {
            hint = "\"\(text)\" is not supported (no ?, L, W or # extensions)"
        } else {
            hint = "\"\(text)\" is not a valid value"
        }
        throw CronError(expression, field: name, "\(hint) (allowed \(allowed))")
    }
}
