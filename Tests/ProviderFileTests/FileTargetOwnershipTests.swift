import Foundation
import ProviderFile
import RotorCore
import RotorTestSupport
import Testing

@Suite("file: mode, owner and links")
struct FileTargetOwnershipTests {
    /// An app's config file is often group-readable by the app's group: rewriting it must not lock the app out.
    @Test(arguments: FileTarget.Format.allCases)
    func aRewriteKeepsTheFilesModeAndOwner(_ format: FileTarget.Format) async throws {
        let dir = try TemporaryFolder()
        try await withCleanup({ dir.remove() }) {
            let path = "\(dir.path)/app.\(format.rawValue)"
            try (format == .json ? "{\"OTHER\": \"x\"}\n" : "OTHER=x\n").write(toFile: path, atomically: true, encoding: .utf8)
            #expect(chmod(path, 0o640) == 0)
            // Root may give the file any owner; otherwise keep our own (the mode is still checked).
            let (uid, gid): (uid_t, gid_t) = getuid() == 0 ? (4321, 8765) : (getuid(), getgid())
            #expect(chown(path, uid, gid) == 0)

            try await FileTarget(path: path, format: format, key: "APP_TOKEN").apply(SecretValue("new-value-1"), stepContext())

            let status = try Self.status(of: path)
            #expect(status.st_mode & 0o7777 == 0o640)
            #expect(status.st_uid == uid && status.st_gid == gid, "owner \(status.st_uid):\(status.st_gid)")
            #expect(try FileTarget(path: path, format: format, key: "APP_TOKEN").currentValue() == "new-value-1")
            #expect(try FileTarget(path: path, format: format, key: "OTHER").currentValue() == "x")
        }
    }

    @Test func aNewFileIsReadableByItsOwnerOnly() async throws {
        let dir = try TemporaryFolder()
        try await withCleanup({ dir.remove() }) {
            let path = "\(dir.path)/new.env"
            try await FileTarget(path: path, key: "APP_TOKEN").apply(SecretValue("new-value-1"), stepContext())
            #expect(try Self.status(of: path).st_mode & 0o7777 == 0o600)
        }
    }

    /// A deploy often links the app's .env to a file kept elsewhere: the link stays, the file it points at changes.
    @Test func aSymlinkedFileIsWrittenWhereTheLinkPoints() async throws {
        let dir = try TemporaryFolder()
        try await withCleanup({ dir.remove() }) {
            try FileManager.default.createDirectory(atPath: "\(dir.path)/shared", withIntermediateDirectories: true)
            try "OTHER=x\n".write(toFile: "\(dir.path)/shared/app.env", atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: "\(dir.path)/.env", withDestinationPath: "shared/app.env")

            try await FileTarget(path: "\(dir.path)/.env", key: "APP_TOKEN").apply(SecretValue("new-value-1"), stepContext())

            var link = stat()
            #expect(lstat("\(dir.path)/.env", &link) == 0 && link.st_mode & S_IFMT == S_IFLNK, "the link is still a link")
            #expect(try FileTarget(path: "\(dir.path)/shared/app.env", key: "APP_TOKEN").currentValue() == "new-value-1")
            #expect(try FileTarget(path: "\(dir.path)/shared/app.env", key: "OTHER").currentValue() == "x")
        }
    }

    static func status(of path: String) throws -> stat {
        var status = stat()
        guard stat(path, &status) == 0 else { throw CocoaError(.fileNoSuchFile) }
        return status
    }
}
