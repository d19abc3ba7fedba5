/// The frame every plot shares: an `<svg>` that scales to its container (readable at 390 px wide), with the
/// accessible name and description a screen reader announces for `role="img"`.
public enum SVGFrame {
    /// Plot colours with at least 4.5:1 contrast on white.
    public static let green = "#1b5e20"
    public static let amber = "#8a4b00"
    public static let red = "#b71c1c"
    public static let ink = "#1a1a1a"
    public static let grid = "#767676"

    /// `body` inside the frame. `id` makes the title and description ids unique on a page with several plots.
    /// Made to sit inline in an HTML page (no namespace declaration, no style attribute a strict Content-Security-Policy
    /// would refuse): the page's stylesheet bounds its width.
    public static func wrap(id: String, title: String, description: String, width: Int, height: Int, body: String) -> String {
        let base = MarkupText.identifier(id)
        return """
            <svg viewBox="0 0 \(width) \(height)" width="100%" role="img" aria-labelledby="\(base)-title \(base)-desc" \
            font-family="system-ui, sans-serif" font-size="12" fill="\(ink)">\
            <title id="\(base)-title">\(MarkupText.escape(title))</title>\
            <desc id="\(base)-desc">\(MarkupText.escape(description))</desc>\(body)</svg>
            """
    }

    /// A text element with escaped content.
    static func text(_ content: String, x: Double, y: Double, anchor: String = "start", size: Int = 12,
                     weight: String? = nil) -> String {
        "<text x=\"\(format(x))\" y=\"\(format(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\""
            + (weight.map { " font-weight=\"\($0)\"" } ?? "") + ">\(MarkupText.escape(content))</text>"
    }

    /// A rectangle with a tooltip (`<title>`) naming what it shows.
    static func rect(x: Double, y: Double, width: Double, height: Double, fill: String, tooltip: String) -> String {
        "<rect x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(max(0, width)))\" height=\"\(format(max(0, height)))\" "
            + "fill=\"\(fill)\"><title>\(MarkupText.escape(tooltip))</title></rect>"
    }

    /// A number for an attribute: one decimal, never `nan` or `inf`.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        return String((value * 10).rounded() / 10)
    }
}
