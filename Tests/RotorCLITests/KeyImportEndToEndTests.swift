import Foundation
import RotorCore
import RotorCrypto
import RotorTestSupport
import Testing

/// `rotor keys import` as a user runs it, on SQLite and PostgreSQL: adopted keys verify, minted keys land in a new
/// 0600 file and nowhere else, and a bad line refuses the whole import with FILE:LINE and writes nothing.
@Suite("Key import end to end", .serialized)
struct KeyImportEndToEndTests {
    struct Verified: Decodable { var valid: Bool; var org: String?; var scopes: [String]? }
    struct Minted: Decodable { var line: Int; var id: String; var org: String; var name: String; var key: String }

    /// A well-formed `rk_live_` key (the key table's format: 32 base62 characters and a base62 CRC32).
    static func freshKey() -> String {
        let body = "rk_live_" + Base62.randomString(length: 32)
        return body + Base62.encode(CRC32.checksum(Array(body.utf8)), width: 6)
    }

    func verify(_ world: World, _ key: String) async throws -> Verified {
        let result = try await world.run(["keys", "verify", "--stdin", "--json"], stdin: key)
        return try JSONDecoder().decode(Verified.self, from: Data(result.stdout.utf8))
    }

    @Test(arguments: Backend.allCases)
    func importAdoptsAndMintsAndHandsMintedKeysOverInANewPrivateFileOnly(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            let adopted = Self.freshKey()
            let csv = "org,name,scopes,key\nacme,legacy,read write,\(adopted)\nacme,ci,read,\nbeta,\"=HYPERLINK(\"\"http://x\"\")\",,none\n"
            try csv.write(toFile: "\(world.dir)/keys.csv", atomically: true, encoding: .utf8)
            let result = try await world.run(["keys", "import", "keys.csv", "--out", "minted.jsonl"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("imported 3 key(s): 1 adopted, 2 minted"))
            #expect(!result.stderr.contains("importing"), "progress only on a terminal")

            let path = "\(world.dir)/minted.jsonl"
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            let minted = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
                .map { try JSONDecoder().decode(Minted.self, from: Data($0.utf8)) }
            #expect(minted.map(\.line) == [3, 4] && minted[1].name == "=HYPERLINK(\"http://x\")")
            for key in minted.map(\.key) + [adopted] {
                #expect(!result.stdout.contains(key) && !result.stderr.contains(key), "no key on the terminal")
                #expect(try await verify(world, key).valid)
            }
            #expect(try await verify(world, adopted).scopes == ["read", "write"])

            // Importing the adopted key again refuses the whole file, says where, and leaves no minted-key file behind.
            try "org,key\ngamma,\ndelta,\(adopted)\n".write(toFile: "\(world.dir)/again.csv", atomically: true, encoding: .utf8)
            let again = try await world.run(["keys", "import", "again.csv", "--out", "again.jsonl"])
            #expect(again.status != 0 && again.stderr.contains("again.csv:3: this key is already in the key table"), "\(again)")
            #expect(!FileManager.default.fileExists(atPath: "\(world.dir)/again.jsonl"))
            #expect(!again.stderr.contains(adopted) && !again.stdout.contains(adopted))
            let gamma = try await world.run(["keys", "list", "--org", "gamma"])
            #expect(gamma.stdout.contains("no keys"), "\(gamma)")
        }
    }

    @Test(arguments: Backend.allCases)
    func aBadLineRefusesTheWholeImportWithEveryProblemAtItsLine(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            let canary = Self.freshKey()
            var lines = ["{\"org\": \"acme\", \"name\": \"good\", \"key\": \"\(canary)\"}",
                         "{\"org\": \"acme\", \"scopes\": \"\(String(repeating: "s", count: 1_000_000))\"}",
                         "{\"org\": \"=cmd|' /C calc'!A0\"}",
                         "{\"org\": \"acme\", \"key\": \"\(canary)\"}",
                         "{\"org\": \"acme\", \"key\": \"\(canary.dropLast())x\"}"]
            lines.append("{\"org\": \"acme\", \"name\": \"\u{1B}]0;pwned\u{07}\"}")
            var bytes = Array(lines.joined(separator: "\n").utf8) + [0x0A]
            bytes += [0x7B, 0x22, 0x6F, 0x22, 0x3A, 0xFF, 0xFE, 0x7D, 0x0A]  // {"o":<bad UTF-8>}
            try Data(bytes).write(to: URL(fileURLWithPath: "\(world.dir)/keys.jsonl"))
            let result = try await world.run(["keys", "import", "keys.jsonl", "--out", "minted.jsonl"])
            #expect(result.status != 0)
            for line in 2...7 { #expect(result.stderr.contains("keys.jsonl:\(line): "), "line \(line): \(result.stderr)") }
            #expect(!result.stderr.contains("keys.jsonl:1:"))
            #expect(result.stderr.contains("nothing was imported"))
            #expect(!result.stderr.contains(canary) && !result.stdout.contains(canary))
            #expect(!result.stderr.contains("\u{1B}"), "no escape sequence reaches the terminal")
            #expect(result.stderr.count < 5_000, "the report does not carry the huge line")
            #expect(!FileManager.default.fileExists(atPath: "\(world.dir)/minted.jsonl"))
            #expect(try await world.run(["keys", "list"]).stdout.contains("no keys"))
            #expect(try await verify(world, canary).valid == false)
        }
    }

    @Test func mintedKeysNeedANewOutFileAndStandardInputWorks() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            let jsonl = "{\"org\": \"acme\", \"name\": \"ci\"}\n"
            let noOut = try await world.run(["keys", "import", "-"], stdin: jsonl)
            #expect(noOut.status != 0 && noOut.stderr.contains("give --out FILE"), "\(noOut)")
            try "taken".write(toFile: "\(world.dir)/taken.jsonl", atomically: true, encoding: .utf8)
            let taken = try await world.run(["keys", "import", "-", "--out", "taken.jsonl"], stdin: jsonl)
            #expect(taken.status != 0 && taken.stderr.contains("already exists"), "\(taken)")
            #expect(try String(contentsOfFile: "\(world.dir)/taken.jsonl", encoding: .utf8) == "taken")
            #expect(try await world.run(["keys", "list"]).stdout.contains("no keys"))
            let ok = try await world.run(["keys", "import", "-", "--out", "new.jsonl", "--json"], stdin: jsonl)
            #expect(ok.status == 0, "\(ok)")
            #expect(ok.stdout.contains("\"minted\"") && !ok.stdout.contains("rk_live_"))
        }
    }
}
