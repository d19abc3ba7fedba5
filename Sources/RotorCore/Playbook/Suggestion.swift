/// Did-you-mean hints for misspelt keys, providers, channels and words.
enum Suggestion {
    /// The candidate closest to `word`: within edit distance 2 (a transposition counts as one edit), or one
    /// that starts with `word` or that `word` starts with. Case-insensitive; nil when nothing is close.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        guard !lowered.isEmpty else { return nil }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let other = candidate.lowercased()
            var distance = editDistance(Array(lowered), Array(other))
            if distance > 2, min(lowered.count, other.count) >= 3, other.hasPrefix(lowered) || lowered.hasPrefix(other) {
                distance = 3   // a prefix match, weaker than any real near-miss
            }
            if distance <= 3, distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// "did you mean 'x'?" when something is close, else "<noun>: a, b, c".
    static func hint(for word: String, among candidates: [String], listing noun: String) -> String {
        if let close = closest(to: word, among: candidates) {
            return "did you mean '\(close)'?"
        }
        return candidates.isEmpty ? "there are no \(noun)" : "\(noun): " + candidates.joined(separator: ", ")
    }

    /// Optimal-string-alignment distance; inputs here are short keys, so the quadratic table is fine.
    /// Long inputs are not compared at all: nothing 3 edits from a key is 40 characters long.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if abs(a.count - b.count) > 2 || a.count > 64 || b.count > 64 { return .max }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
