import RotorCrypto

/// Random identifiers in the shapes the real services use (`dpl_…`, `dep-…`, `key_…`).
enum SandboxID {
    /// `prefix` followed by `length` random base62 characters.
    static func make(_ prefix: String, length: Int = 20) -> String {
        prefix + Base62.randomString(length: length)
    }

    /// Render ids are lowercase (`dep-ct6vn5lj0q5s700ckgf0`), so they are drawn from a lowercase alphabet.
    static func render(_ prefix: String) -> String {
        prefix + String(Base62.randomString(length: 20).lowercased())
    }
}
