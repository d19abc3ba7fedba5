import Foundation

// rotor-bench: the measurements behind `make bench` that need code of their own (scripts/bench.sh runs the
// rest). Each prints figures and asserts nothing.
//
//   rotor-bench verify                 in-process verification on one core against HMAC-SHA256
//   rotor-bench hello --port P         a Hummingbird hello-world POST route answering the verify JSON shape
//   rotor-bench keys                   a well-formed unknown key and a key with a bad checksum, one a line
//   rotor-bench visibility --url U     how long a key created or revoked here takes to reach `rotor serve` at U
//                                      (the store from ROTOR_HOME / ROTOR_STORE, as the CLI would)
let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
}

do {
    switch arguments.first {
    case "verify":
        try await InProcessBench.run(keys: Int(option("--keys") ?? "") ?? 100_000)
    case "hello":
        try await HelloServer.run(port: Int(option("--port") ?? "") ?? 8751)
    case "keys":
        print(BenchKeys.wellFormedUnknown())
        print(BenchKeys.badChecksum())
    case "visibility":
        guard let url = option("--url") else { throw BenchError("visibility needs --url http://host:port/v1/keys/verify") }
        try await VisibilityBench.run(url: url, rounds: Int(option("--rounds") ?? "") ?? 20)
    default:
        throw BenchError("usage: rotor-bench verify | hello --port P | keys | visibility --url U [--rounds N]")
    }
} catch {
    FileHandle.standardError.write(Data("rotor-bench: \(error)\n".utf8))
    exit(1)
}
