import Foundation
import Testing
import RotorCore

/// A fresh directory under the system temporary directory, removed when the test ends.
private final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-playbooks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ data: Data) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: file))
        return file
    }
}

private func playbook(_ secret: String) -> String {
    "secret: \(secret)\nsource: {provider: random}\ntargets: [{provider: file, path: .env, key: K}]\n"
}

@Suite("Playbook files")
struct PlaybookFilesTests {
    @Test func directoryGivesItsYAMLFilesInNameOrderButNotSubdirectories() throws {
        let directory = try TemporaryDirectory()
        try directory.write("b.yml", playbook("bravo"))
        try directory.write("a.yaml", playbook("alpha"))
        try directory.write("notes.txt", "not yaml: [")
        try directory.write(".editor-swap.yml", "not yaml: [")
        try directory.write("sub/c.yml", playbook("charlie"))

        let set = TestCatalog.parser.parseFiles([directory.path])
        #expect(set.diagnostics.isEmpty, "\(set.diagnostics)")
        #expect(set.playbooks.map(\.secret) == ["alpha", "bravo"])
        #expect(set.playbooks.map(\.file) == [directory.path + "/a.yaml", directory.path + "/b.yml"])

        let withSub = TestCatalog.parser.parseFiles([directory.path, directory.path + "/sub", directory.path + "/a.yaml"])
        #expect(withSub.playbooks.map(\.secret) == ["alpha", "bravo", "charlie"])   // a.yaml named twice, read once
        #expect(withSub.playbook(for: "charlie")?.file == directory.path + "/sub/c.yml")
    }

    @Test func secondPlaybookForASecretIsReportedAtItsSecretLine() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("one.yml", playbook("shared"))
        let second = try directory.write("two.yml", "# the same secret again\n" + playbook("shared"))
        let set = TestCatalog.parser.parseFiles([first, second])
        #expect(set.playbooks.map(\.file) == [first])
        let problem = try #require(set.diagnostics.first)
        #expect(set.diagnostics.count == 1)
        #expect(problem.location == PlaybookLocation(file: second, line: 2, column: 9))
        #expect(problem.message == "secret 'shared' is already defined in \(first)")
        #expect(set.invalidFiles == [second: [problem]])
    }

    @Test func brokenFileDoesNotStopTheOthers() throws {
        let directory = try TemporaryDirectory()
        try directory.write("a-broken.yml", "secret: broken\nsource: {provider: nope}\ntargets: []\n")
        try directory.write("b-good.yml", playbook("good"))
        let set = TestCatalog.parser.parseFiles([directory.path])
        #expect(set.playbooks.map(\.secret) == ["good"])
        let problems = try #require(set.invalidFiles[directory.path + "/a-broken.yml"])
        #expect(problems.map(\.message) == ["unknown source provider 'nope'"])
        #expect(set.diagnostics == problems)
    }

    @Test func missingPathAndEmptyDirectoryAreReported() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path + "/nope.yml"
        let set = TestCatalog.parser.parseFiles([missing, directory.path])
        #expect(set.diagnostics.map(\.description) == [
            "\(missing):1:1: error: no such file or directory (check the path; directories are searched for *.yml and *.yaml)",
            "\(directory.path):1:1: error: no playbooks (*.yml or *.yaml) in this directory (subdirectories are read only when named)",
        ])
        #expect(Set(set.invalidFiles.keys) == [missing, directory.path])
    }

    @Test func nonUTF8FileIsReportedAtItsFirstBadByte() throws {
        let directory = try TemporaryDirectory()
        // "secret: s\n" is 10 bytes and "owner: " 7 more: the bad byte is at offset 17, line 2, column 8.
        let file = try directory.write("latin1.yml", Data("secret: s\nowner: ".utf8) + Data([0xFF, 0xFE]) + Data("\n".utf8))
        let set = TestCatalog.parser.parseFiles([file])
        #expect(set.diagnostics.map(\.description) == [
            "\(file):2:8: error: the file is not UTF-8 text (byte 0xFF at byte offset 17) (save the playbook as UTF-8; binary files are not playbooks)",
        ])
    }

    @Test func hugeFileIsRefusedWithoutBeingParsed() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("huge.yml", Data(repeating: UInt8(ascii: "a"), count: 2 << 20))
        let (set, work) = WorkCounter.measure { TestCatalog.parser.parseFiles([file]) }
        #expect(set.diagnostics.count == 1)
        #expect(set.diagnostics.first?.message.contains("larger than 1 MiB") == true)
        // Read one byte past the limit, not the whole 2 MiB (a device could be endless), and never composed.
        #expect(work[.playbookBytesRead] == (1 << 20) + 1)
        #expect(work[.yamlComposes] == 0)
    }

    @Test func binaryJunkIsReportedNotParsed() throws {
        let directory = try TemporaryDirectory()
        var generator = SplitMix64(seed: 42)
        let junk = Data((0..<4_096).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        let file = try directory.write("junk.yml", junk)
        let set = TestCatalog.parser.parseFiles([file])
        #expect(set.diagnostics.count == 1)
        #expect(set.diagnostics.first?.message.hasPrefix("the file is not UTF-8 text") == true)
    }
}

/// A tiny deterministic generator, so the junk is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
