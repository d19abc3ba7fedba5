import RotorCore

extension KeyImportParser {
    /// Words in the key column that ask for a new key rather than adopt one.
    static let mintWords: Set<String> = ["", "none", "-", "mint"]

    /// The entry of one line's values, checked by the same rules as `rotor keys create`, but stricter about
    /// control characters (an import comes from other systems) and without ever quoting a value.
    static func entry(_ fields: (org: String?, name: String?, scopes: [String], key: String?),
                      line: Int) throws(Problem) -> KeyImportEntry {
        guard let org = fields.org, !org.isEmpty else { throw Problem("org is missing") }
        // A key in another column (the columns shifted) would be stored in the clear and shown in every list.
        if ([org] + [fields.name ?? ""] + fields.scopes).contains(where: { $0.contains(APIKeyFormat.prefix) }) {
            throw Problem("a value outside the key column contains \(APIKeyFormat.prefix): keys go in the key column only")
        }
        guard isIdentifier(org) else {
            throw Problem("org must be 1–128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit")
        }
        let name = fields.name.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        guard name.count <= maximumNameCharacters, !name.unicodeScalars.contains(where: ControlCharacters.isControl) else {
            throw Problem("name must be at most \(maximumNameCharacters) characters, without control characters or line breaks")
        }
        guard fields.scopes.count <= maximumScopes else {
            throw Problem("\(fields.scopes.count) scopes; at most \(maximumScopes) are allowed")
        }
        if let bad = fields.scopes.firstIndex(where: { !isIdentifier($0) }) {
            throw Problem("scope \(bad + 1) is not a plain identifier (1–128 letters, digits, '.', '_', ':' or '-')")
        }
        var adopted: SecretValue?
        let key = fields.key?.trimmingCharacters(in: .whitespaces) ?? ""
        if !mintWords.contains(key.lowercased()) {
            switch APIKeyFormat.check(key) {
            case .badFormat?:
                throw Problem("key is not an \(APIKeyFormat.prefix) key (\(APIKeyFormat.length) characters); "
                              + "leave the column empty (or none) to mint one")
            case .badChecksum?:
                throw Problem("key fails its checksum: mistyped or truncated")
            case nil:
                adopted = SecretValue(key)
            }
        }
        return KeyImportEntry(line: line, org: org, name: name, scopes: fields.scopes, adoptedKey: adopted)
    }

    /// `^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`, the rule of orgs and scopes, checked byte by byte: an import runs it
    /// hundreds of thousands of times.
    static func isIdentifier(_ text: String) -> Bool {
        var count = 0
        for byte in text.utf8 {
            count += 1
            guard count <= 128 else { return false }
            let alphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            if count == 1 ? !alphanumeric : !(alphanumeric || byte == 0x2E || byte == 0x5F || byte == 0x3A || byte == 0x2D) {
                return false
            }
        }
        return count > 0
    }
}
