import RotorCrypto

/// Random identifiers for rows: 16 base62 characters (~95 bits), prefixed by kind (`rot_`, `ver_`, …).
public enum RotorIDs {
    public static func random() -> String { Base62.randomString(length: 16) }
}
