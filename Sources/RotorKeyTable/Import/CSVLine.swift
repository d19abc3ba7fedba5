/// Splits one line of CSV (RFC 4180: `,` between fields, `"` around a field that holds one, `""` for a quote
/// inside). Fields never span lines: a key import has no use for line breaks in a value.
enum CSVLine {
    enum Failure: Error, Equatable {
        case unterminatedQuote
        case textAfterClosingQuote
    }

    static func fields(_ line: Substring) throws(Failure) -> [Substring] {
        var fields: [Substring] = []
        var index = line.startIndex
        while true {
            if index < line.endIndex, line[index] == "\"" {
                var value = ""
                index = line.index(after: index)
                while true {
                    guard index < line.endIndex else { throw .unterminatedQuote }
                    let character = line[index]
                    index = line.index(after: index)
                    if character == "\"" {
                        if index < line.endIndex, line[index] == "\"" {
                            value.append("\"")
                            index = line.index(after: index)
                        } else {
                            break
                        }
                    } else {
                        value.append(character)
                    }
                }
                fields.append(Substring(value))
                guard index == line.endIndex || line[index] == "," else { throw .textAfterClosingQuote }
            } else {
                let end = line[index...].firstIndex(of: ",") ?? line.endIndex
                fields.append(line[index..<end])
                index = end
            }
            guard index < line.endIndex else { return fields }
            index = line.index(after: index)  // past the comma; a trailing comma leaves one empty field
            if index == line.endIndex {
                fields.append("")
                return fields
            }
        }
    }
}
