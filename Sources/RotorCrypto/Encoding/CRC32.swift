/// CRC-32 as in IEEE 802.3 and zlib's `crc32`: reflected polynomial 0xEDB88320, initial value and
/// final XOR 0xFFFFFFFF.
///
/// A checksum against typing errors (for example in a key's suffix), not a MAC: it offers no
/// protection against deliberate changes.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
        }
        return value
    }

    /// The CRC-32 of `data`; `checksum("123456789".utf8) == 0xCBF43926`.
    public static func checksum<D: Collection>(_ data: D) -> UInt32 where D.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }
}
