/// The report's only stylesheet, inline: no font, script or image is fetched from anywhere. The print rules
/// keep tables whole across pages, show link targets as row numbers and drop the screen-only colours.
enum ReportStyle {
    static let css = """
        :root { color: #1a1a1a; background: #fff; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
        body { margin: 0 auto; padding: 16px; max-width: 1100px; }
        h1 { font-size: 1.6em; margin: 0 0 4px; } h2 { font-size: 1.25em; margin: 28px 0 8px; border-bottom: 2px solid #1a1a1a; }
        h3 { font-size: 1.05em; margin: 16px 0 6px; }
        p.meta { color: #444; margin: 0 0 12px; }
        .table { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
        th, td { border: 1px solid #999; padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
        th { background: #eee; }
        td.num { text-align: right; white-space: nowrap; }
        .ok { color: #1b5e20; font-weight: 600; } .exception, .broken { color: #b71c1c; font-weight: 600; }
        .warn { color: #8a4b00; font-weight: 600; }
        .figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
        .figure { border: 1px solid #999; padding: 8px 12px; min-width: 130px; flex: 1 1 130px; }
        .figure b { display: block; font-size: 1.6em; }
        .plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
        figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 4px; } figure svg { max-width: 760px; height: auto; }
        a { color: #0b4f9c; } a:focus { outline: 3px solid #0b4f9c; }
        code { font-size: 0.95em; overflow-wrap: anywhere; }
        tr:target { background: #fff3b0; }
        @media print {
            :root { font-size: 10pt; } body { max-width: none; padding: 0; }
            h2 { break-after: avoid; } tr, figure, .figure { break-inside: avoid; }
            a { color: inherit; text-decoration: none; } tr:target { background: none; }
            section.appendix { break-before: page; }
            @page { margin: 14mm; }
        }
        """
}
