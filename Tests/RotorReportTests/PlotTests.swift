import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RotorReport
import Testing

/// The SVG plots are well-formed XML with an accessible name and description, for empty, hostile and huge input.
@Suite("SVG plots")
struct PlotTests {
    static let hostile = "<script>alert(1)</script> & \"x\" 'y' \u{1}\u{7F}\u{FFFE}"

    /// Parses `svg` as XML and returns the root's name and the texts of its `title` elements.
    static func parse(_ svg: String) throws -> (root: String, titles: [String]) {
        final class Reader: NSObject, XMLParserDelegate {
            var root: String?
            var titles: [String] = []
            var inTitle = false
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                if root == nil { root = name }
                if name == "title" { inTitle = true; titles.append("") }
            }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                if name == "title" { inTitle = false }
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) {
                if inTitle { titles[titles.count - 1] += string }
            }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let reader = Reader()
        parser.delegate = reader
        guard parser.parse() else { throw parser.parserError ?? CSVTable.Malformed() }
        return (reader.root ?? "", reader.titles)
    }

    @Test func emptyPlotsAreWellFormedAndSayThereIsNothing() throws {
        for svg in [AgePlot.svg([]), RotationsPerMonthPlot.svg([]), KeyAgeHistogramPlot.svg([])] {
            let parsed = try Self.parse(svg)
            #expect(parsed.root == "svg")
            #expect(!(parsed.titles.first ?? "").isEmpty)
            #expect(svg.contains("role=\"img\"") && svg.contains("<desc"))
            #expect(svg.contains("No "))
        }
    }

    @Test func hugeAndHostileInputStaysWellFormedAndBounded() throws {
        let bars = (0..<20_000).map { AgePlot.Bar(label: Self.hostile + String($0), ageDays: [Double.nan, .infinity, -5, 1e300, 45][$0 % 5],
                                                  maxAgeDays: [90, 0, -1, .nan, 30][$0 % 5]) }
        let columns = (0..<5_000).map { RotationsPerMonthPlot.Column(label: Self.hostile, completed: $0, rolledBack: Int.max / 8, failed: -3) }
        let buckets = (0..<1_000).map { KeyAgeHistogramPlot.Bucket(label: Self.hostile, count: $0 * 1_000_000, overdue: $0 % 2 == 0) }
        for svg in [AgePlot.svg(bars), RotationsPerMonthPlot.svg(columns), KeyAgeHistogramPlot.svg(buckets)] {
            let parsed = try Self.parse(svg)
            #expect(parsed.root == "svg")
            #expect(!svg.contains("<script"), "labels are escaped")
            #expect(!svg.contains("nan") && !svg.contains("inf"), "no NaN or infinity reaches an attribute")
            #expect(svg.utf8.count < 400_000, "bounded: \(svg.utf8.count) bytes")
        }
        #expect(AgePlot.svg(bars).contains("and \(20_000 - AgePlot.rowLimit) more"))
    }

    @Test func tooltipsNameTheSubjectAndTheFigures() throws {
        let svg = AgePlot.svg([AgePlot.Bar(label: "stripe-key", ageDays: 95, maxAgeDays: 90), AgePlot.Bar(label: "db", ageDays: 10, maxAgeDays: 30)])
        let titles = try Self.parse(svg).titles
        #expect(titles.contains("stripe-key: 95 of 90 d") && titles.contains("db: 10 of 30 d"))
        #expect(svg.contains("(over)"))
        #expect(svg.contains("viewBox=\"0 0 360 ") && svg.contains("width=\"100%\""), "scales down to a 390 px screen")
    }
}
