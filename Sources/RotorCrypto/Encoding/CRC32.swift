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

    /// The CRC-32 of raw bytes, eight at a time ("slicing-by-8"): not generic, so callers in other modules get
    /// the specialised loop (the key table checks every presented key with it). Same result as the generic one.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        slices.withUnsafeBufferPointer { t in
            var crc: UInt32 = 0xFFFF_FFFF
            var offset = 0
            while bytes.count - offset >= 8 {
                let one = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) ^ crc
                let two = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
                crc = t[7 * 256 + Int(one & 0xFF)] ^ t[6 * 256 + Int((one >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((one >> 16) & 0xFF)] ^ t[4 * 256 + Int(one >> 24)]
                    ^ t[3 * 256 + Int(two & 0xFF)] ^ t[2 * 256 + Int((two >> 8) & 0xFF)]
                    ^ t[256 + Int((two >> 16) & 0xFF)] ^ t[Int(two >> 24)]
                offset += 8
            }
            while offset < bytes.count {
                crc = t[Int((crc ^ UInt32(bytes[offset])) & 0xFF)] ^ (crc >> 8)
                offset += 1
            }
            return crc ^ 0xFFFF_FFFF
        }
    }

    /// Eight tables of 256 in a row: the first is `table`, each next one the previous shifted by a byte.
    private static let slices: [UInt32] = {
        var slices = table
        for slice in 1..<8 {
            for index in 0..<256 {
                let previous = slices[(slice - 1) * 256 + index]
                slices.append((previous >> 8) ^ table[Int(previous & 0xFF)])
            }
        }
        return slices
    }()
}
