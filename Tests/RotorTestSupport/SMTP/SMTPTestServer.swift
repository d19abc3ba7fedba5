import Foundation

/// A real SMTP server on 127.0.0.1 for tests: aiosmtpd in a child Python process, optionally with
/// STARTTLS or SMTPS under a self-signed certificate made for it, and with AUTH. Every message it
/// accepts is readable through `messages()`.
///
/// A missing Python or aiosmtpd makes `start` throw (install python3-aiosmtpd, `make deps`): the tests
/// that need the server fail, they are never skipped.
public final class SMTPTestServer {
    public enum Security: String, Sendable {
        /// No TLS offered.
        case plain
        /// STARTTLS offered and required before MAIL.
        case startTLS = "starttls"
        /// TLS from the first byte.
        case smtps
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: UInt16
    public let security: Security
    /// The PEM certificate the server presents, which the tests trust through `SMTPServer.caFile`;
    /// nil for `.plain`.
    public let certificateFile: String?
    private let directory: TemporaryDirectory
    private let process: ChildProcess
    /// The write end of the server's stdin: it exits when this closes, so it never outlives the test
    /// process, even one that crashed.
    private let lifeline: Int32
    private var isStopped = false

    private init(
        port: UInt16, security: Security, certificateFile: String?, directory: TemporaryDirectory,
        process: ChildProcess, lifeline: Int32
    ) {
        self.port = port
        self.security = security
        self.certificateFile = certificateFile
        self.directory = directory
        self.process = process
        self.lifeline = lifeline
    }

    deinit { stop() }

    /// `smtp://127.0.0.1:PORT` or `smtps://127.0.0.1:PORT`.
    public var url: String { "\(security == .smtps ? "smtps" : "smtp")://127.0.0.1:\(port)" }

    /// Starts a server. `login` makes AUTH required with that user and password; mail to an address
    /// in `refuse` is answered 550, to one in `deferred` 451.
    public static func start(
        _ security: Security = .plain, login: (user: String, password: String)? = nil,
        refuse: [String] = [], deferred: [String] = []
    ) async throws -> SMTPTestServer {
        let directory = try TemporaryDirectory()
        // Starting Python and waiting for its first line blocks, so it happens off the cooperative pool.
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "rotor.test.smtp-start").async {
                continuation.resume(with: Result {
                    try launch(security, login: login, refuse: refuse, deferred: deferred, directory: directory)
                })
            }
        }
    }

    /// Every message accepted so far, in order. The server writes each before it answers 250, so a
    /// message the client saw accepted is here.
    public func messages() throws -> [ReceivedMail] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.file("mail"))
            .filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: directory.file("mail/\(name)")))
            return try JSONDecoder().decode(ReceivedMail.self, from: data)
        }
    }

    /// Stops the server process (this one, by its pid) and removes its files.
    public func stop() {
        guard !isStopped else { return }
        isStopped = true
        close(lifeline)
        process.kill()
        directory.remove()
    }

    // MARK: - Launching

    private static func launch(
        _ security: Security, login: (user: String, password: String)?, refuse: [String], deferred: [String],
        directory: TemporaryDirectory
    ) throws -> SMTPTestServer {
        let python = try interpreter.get()
        try FileManager.default.createDirectory(atPath: directory.file("mail"), withIntermediateDirectories: false)
        try SMTPServerScript.source.write(toFile: directory.file("smtp_server.py"), atomically: true, encoding: .utf8)
        var arguments = [directory.file("smtp_server.py"), "--maildir", directory.file("mail"), "--mode", security.rawValue]
        var certificateFile: String?
        if security != .plain {
            let (certificate, key) = try makeCertificate(in: directory)
            arguments += ["--cert", certificate, "--key", key]
            certificateFile = certificate
        }
        if let login { arguments += ["--user", login.user, "--password", login.password] }
        for address in refuse { arguments += ["--refuse", address] }
        for address in deferred { arguments += ["--defer", address] }

        let input = try ChildProcess.pipe()
        let output = try ChildProcess.pipe()
        let errorLog = directory.file("stderr.log")
        // stderr goes to a file, not a pipe: nobody reads it while the server runs.
        let process: ChildProcess
        do {
            process = try ChildProcess.spawn(python, arguments, stdin: .descriptor(input.read),
                                             stdout: .descriptor(output.write), stderr: .file(errorLog))
        } catch {
            [input.read, input.write, output.read, output.write].forEach { _ = close($0) }
            throw error
        }
        close(input.read)
        close(output.write)
        defer { close(output.read) }

        // The first line is "READY <port>", or nothing when Python fails, which closes the pipe.
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256)
        while !line.contains(UInt8(ascii: "\n")) {
            let count = chunk.withUnsafeMutableBytes { read(output.read, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            line += chunk[..<count]
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("READY "), let port = UInt16(text.dropFirst(6)) else {
            close(input.write)
            process.kill()
            let stderr = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
            throw Failure(description: "the test SMTP server did not start (said '\(text)'): \(stderr)")
        }
        return SMTPTestServer(port: port, security: security, certificateFile: certificateFile,
                              directory: directory, process: process, lifeline: input.write)
    }

    /// The first Python that can import aiosmtpd: Debian's, then whatever `python3` is on the PATH.
    private static let interpreter: Result<String, Failure> = {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] + pathCandidates() {
            guard FileManager.default.isExecutableFile(atPath: candidate),
                  (try? ChildProcess.run(candidate, ["-c", "import aiosmtpd"])) == 0 else { continue }
            return .success(candidate)
        }
        return .failure(Failure(description: "no Python 3 with aiosmtpd found: install python3-aiosmtpd (make deps)"))
    }()

    private static func pathCandidates() -> [String] {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
    }

    /// A self-signed P-256 certificate for 127.0.0.1 and localhost, valid for a day.
    private static func makeCertificate(in directory: TemporaryDirectory) throws -> (certificate: String, key: String) {
        let certificate = directory.file("cert.pem")
        let key = directory.file("key.pem")
        let status = try ChildProcess.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ])
        guard status == 0 else { throw Failure(description: "openssl req failed with status \(status)") }
        return (certificate, key)
    }
}
