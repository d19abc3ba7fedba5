import Foundation

/// Figures as the report and its plots print them: `12`, `12.5`, never `nan`, and no trap on a huge value.
public enum FigureText {
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        if abs(value) >= 1e9 { return String(format: "%.3g", value) }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// `counts` added without overflow: a plot of absurd input must still draw.
    static func sum(_ counts: [Int]) -> Int {
        counts.reduce(0) { total, count in
            let (sum, overflow) = total.addingReportingOverflow(max(0, count))
            return overflow ? Int.max : sum
        }
    }
}
