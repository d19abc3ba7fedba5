import Foundation
import RotorKeyTable
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file `rotor keys import --out` writes minted keys to: created new (never an existing file or a symlink's
/// target) with mode 0600, one JSON object per line, flushed to disk before the keys are stored.
enum MintedKeyFile {
    struct Line: Encodable {
        var line: Int
        var id: String
        var org: String
        var name: String
        var key: String
    }

    static func write(_ minted: [KeyTable.MintedKey], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CLIError("cannot create \(path): \(String(cString: strerror(errno))); --out must name a new file")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            // JSON strings: a name such as `=HYPERLINK(…)` stays text, whatever later opens the file.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var data = Data()
            for key in minted {
                data += try encoder.encode(Line(line: key.line, id: key.record.id, org: key.record.org, name: key.record.name,
                                                key: key.key.revealed))
                data.append(0x0A)
            }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw CLIError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
