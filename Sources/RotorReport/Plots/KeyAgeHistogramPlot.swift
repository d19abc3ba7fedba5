/// Customer key ages as a histogram: how many active keys fall in each age bucket, the buckets past the maximum
/// age in red.
public enum KeyAgeHistogramPlot {
    /// One bucket's column.
    public struct Bucket: Sendable, Equatable {
        public var label: String
        public var count: Int
        public var overdue: Bool

        public init(label: String, count: Int, overdue: Bool) {
            self.label = label
            self.count = count
            self.overdue = overdue
        }
    }

    public static let bucketLimit = 60

    public static func svg(_ buckets: [Bucket], id: String = "key-age-plot", title: String = "Customer key age histogram") -> String {
        let shown = Array(buckets.prefix(bucketLimit))
        let left = 8.0, top = 20.0, plotHeight = 130.0
        let step = max(24.0, 344.0 / Double(max(1, shown.count)))
        let width = max(360.0, left * 2 + Double(shown.count) * step)
        let peak = max(1, shown.map { max(0, $0.count) }.max() ?? 1)
        var body = "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(SVGFrame.format(width - left))\" "
            + "y2=\"\(top + plotHeight)\" stroke=\"\(SVGFrame.grid)\"/>"
        for (index, bucket) in shown.enumerated() {
            let x = left + Double(index) * step
            let height = Double(max(0, bucket.count)) / Double(peak) * plotHeight
            body += SVGFrame.rect(x: x + 3, y: top + plotHeight - height, width: step - 6, height: height,
                                  fill: bucket.overdue ? SVGFrame.red : SVGFrame.green,
                                  tooltip: "\(bucket.label): \(bucket.count) key\(bucket.count == 1 ? "" : "s")")
            body += SVGFrame.text(String(bucket.count), x: x + step / 2, y: top + plotHeight - height - 4, anchor: "middle", size: 11)
            body += SVGFrame.text(MarkupText.shortened(bucket.label, to: Int(step / 6.5)), x: x + step / 2,
                                  y: top + plotHeight + 16, anchor: "middle", size: 11)
        }
        if shown.isEmpty { body += SVGFrame.text("No customer keys.", x: left, y: top + 20) }
        let total = FigureText.sum(shown.map(\.count))
        let overdue = FigureText.sum(shown.filter(\.overdue).map(\.count))
        let description = "\(total) active customer key\(total == 1 ? "" : "s") by age; \(overdue) past the maximum age."
        return SVGFrame.wrap(id: id, title: title, description: description, width: Int(width.rounded(.up)),
                             height: Int(top + plotHeight + 24), body: body)
    }
}
