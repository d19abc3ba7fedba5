/// The two shapes `rotor keys import` reads.
public enum KeyImportFormat: String, Sendable, CaseIterable {
    /// One JSON object per line: `{"org": "acme", "name": "ci", "scopes": ["read"], "key": null}`.
    case jsonLines = "jsonl"
    /// A header line naming the columns (`org,name,scopes,key`, `org` required), then one key per line; scopes
    /// separated by spaces, `;` or `,` inside their (quoted) field.
    case csv

    /// The format a file name says (`.csv`; `.jsonl`, `.ndjson`, `.json`), else the first non-blank byte: `{`
    /// is JSON lines, anything else CSV.
    public static func detect(fileName: String, firstBytes: some Sequence<UInt8>) -> KeyImportFormat {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonLines }
        let first = firstBytes.first { !(Self.blank.contains($0)) }
        return first == UInt8(ascii: "{") ? .jsonLines : .csv
    }

    static let blank: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF]
}
