/// Rotations per month by outcome: one stacked column per month (completed, rolled back, failed).
public enum RotationsPerMonthPlot {
    /// One month's column.
    public struct Column: Sendable, Equatable {
        public var label: String
        public var completed: Int
        public var rolledBack: Int
        public var failed: Int

        public init(label: String, completed: Int, rolledBack: Int, failed: Int) {
            self.label = label
            self.completed = completed
            self.rolledBack = rolledBack
            self.failed = failed
        }

        var total: Int { FigureText.sum([completed, rolledBack, failed]) }
    }

    /// At most this many months are drawn (the newest).
    public static let columnLimit = 120

    public static func svg(_ columns: [Column], id: String = "rotations-plot", title: String = "Rotations per month by outcome") -> String {
        let shown = Array(columns.suffix(columnLimit))
        let left = 36.0, top = 28.0, plotHeight = 140.0
        // Wide columns for a few months, at least 26 units each for many (the plot then scrolls sideways).
        let step = max(26.0, min(60.0, (360.0 - left - 8) / Double(max(1, shown.count))))
        let width = max(360.0, left + Double(shown.count) * step + 8)
        let peak = max(1, shown.map(\.total).max() ?? 1)
        var body = legend()
        body += SVGFrame.text(String(peak), x: left - 4, y: top + 4, anchor: "end")
        body += SVGFrame.text("0", x: left - 4, y: top + plotHeight, anchor: "end")
        body += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(SVGFrame.format(width - 4))\" y2=\"\(top + plotHeight)\" "
            + "stroke=\"\(SVGFrame.grid)\"/>"
        // Every month a column, but labels only as often as they fit.
        let labelEvery = max(1, Int((46 / step).rounded(.up)))
        for (index, column) in shown.enumerated() {
            let x = left + Double(index) * step + 4
            var y = top + plotHeight
            for (count, colour, name) in [(column.completed, SVGFrame.green, "completed"), (column.rolledBack, SVGFrame.amber, "rolled back"),
                                          (column.failed, SVGFrame.red, "failed")] where count > 0 {
                let height = Double(count) / Double(peak) * plotHeight
                y -= height
                body += SVGFrame.rect(x: x, y: y, width: step - 8, height: height, fill: colour, tooltip: "\(column.label): \(count) \(name)")
            }
            if index % labelEvery == 0 {
                body += SVGFrame.text(MarkupText.shortened(column.label, to: 8), x: x + (step - 8) / 2, y: top + plotHeight + 16,
                                      anchor: "middle", size: 11)
            }
        }
        if shown.isEmpty { body += SVGFrame.text("No months in the period.", x: left, y: top + 20) }
        let totals = (FigureText.sum(shown.map(\.completed)), FigureText.sum(shown.map(\.rolledBack)), FigureText.sum(shown.map(\.failed)))
        let description = "\(shown.count) month\(shown.count == 1 ? "" : "s"): \(totals.0) completed, \(totals.1) rolled back, "
            + "\(totals.2) failed rotations."
        return SVGFrame.wrap(id: id, title: title, description: description, width: Int(width.rounded(.up)),
                             height: Int(top + plotHeight + 24), body: body)
    }

    private static func legend() -> String {
        [("completed", SVGFrame.green, 8.0), ("rolled back", SVGFrame.amber, 110.0), ("failed", SVGFrame.red, 222.0)].map { name, colour, x in
            "<rect x=\"\(x)\" y=\"4\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>" + SVGFrame.text(name, x: x + 16, y: 14)
        }.joined()
    }
}
