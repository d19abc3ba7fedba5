import Foundation

/// Age against maximum age per secret: one bar per subject, scaled to its own maximum age, with the maximum age as
/// one vertical line through every row, so secrets with different limits compare at a glance.
public enum AgePlot {
    /// One subject's bar.
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var ageDays: Double
        public var maxAgeDays: Double

        public init(label: String, ageDays: Double, maxAgeDays: Double) {
            self.label = label
            self.ageDays = ageDays
            self.maxAgeDays = maxAgeDays
        }

        /// Age as a share of the maximum age (0 when the maximum is not positive).
        var share: Double { maxAgeDays > 0 && ageDays.isFinite ? max(0, ageDays / maxAgeDays) : 0 }
    }

    /// At most this many rows are drawn; the rest are counted in a last line (the report's table lists them all).
    public static let rowLimit = 200

    public static func svg(_ bars: [Bar], id: String = "age-plot", title: String = "Age against maximum age per secret") -> String {
        let width = 360.0, left = 8.0, plotWidth = 344.0, rowHeight = 32.0, top = 8.0
        // The axis runs to 150 % of each row's maximum age; longer bars are cut there and say so.
        let scale = plotWidth / 1.5
        let shown = Array(bars.prefix(rowLimit))
        var body = ""
        for (row, bar) in shown.enumerated() {
            let y = top + Double(row) * rowHeight
            let colour = bar.share > 1 ? SVGFrame.red : bar.share > 0.85 ? SVGFrame.amber : SVGFrame.green
            let figures = "\(format(bar.ageDays)) of \(format(bar.maxAgeDays)) d"
            body += SVGFrame.text(MarkupText.shortened(bar.label, to: 34), x: left, y: y + 12)
            body += SVGFrame.text(figures + (bar.share > 1 ? " (over)" : ""), x: left + plotWidth, y: y + 12, anchor: "end")
            body += SVGFrame.rect(x: left, y: y + 16, width: min(bar.share, 1.5) * scale, height: 10, fill: colour,
                                  tooltip: "\(bar.label): \(figures)")
        }
        let rowsHeight = Double(shown.count) * rowHeight
        if !shown.isEmpty {
            let x = SVGFrame.format(left + scale)
            body += "<line x1=\"\(x)\" y1=\"\(SVGFrame.format(top + 14))\" x2=\"\(x)\" y2=\"\(SVGFrame.format(top + rowsHeight))\" "
                + "stroke=\"\(SVGFrame.ink)\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>"
        }
        var height = top + rowsHeight + 8
        if bars.isEmpty {
            body += SVGFrame.text("No secrets to show.", x: left, y: top + 14)
            height = 32
        } else if bars.count > shown.count {
            body += SVGFrame.text("… and \(bars.count - shown.count) more (see the table)", x: left, y: height + 6)
            height += 16
        }
        let over = bars.filter { $0.share > 1 }.count
        let description = "\(bars.count) secret\(bars.count == 1 ? "" : "s"); \(over) past the maximum age. "
            + "Each bar is the age as a share of that secret's maximum age; the dashed line marks the maximum."
        return SVGFrame.wrap(id: id, title: title, description: description, width: Int(width), height: Int(height.rounded(.up)),
                             body: body)
    }

    static func format(_ days: Double) -> String {
        days.isFinite ? FigureText.number(days) : "?"
    }
}
