import ArgumentParser
import RotorApp
import RotorCore

/// Where the HTTP service of `serve` and `run` listens. Each flag beats ROTOR_LISTEN, which beats rotor.yml's
/// `server.listen` (see ``RotorApp/listenAddress(listen:host:port:)``).
struct ListenOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Address and port to listen on.",
                               discussion: "Default: $ROTOR_LISTEN, else rotor.yml's server.listen, else 127.0.0.1:8750",
                               valueName: "HOST:PORT"))
    var listen: String?
    @Option(help: ArgumentHelp("Address to listen on (overrides the host of --listen).", valueName: "HOST")) var host: String?
    @Option(help: ArgumentHelp("Port to listen on (overrides the port of --listen).", valueName: "PORT")) var port: Int?

    func validate() throws {
        if let listen, ServerConfig.address(listen) == nil {
            throw ValidationError("--listen must be HOST:PORT with a port from 1 to 65535, e.g. 127.0.0.1:8750")
        }
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
    }

    /// The address to listen on, for `app`'s environment and rotor.yml.
    func resolve(_ app: RotorApp) throws -> (host: String, port: Int) {
        try app.listenAddress(listen: listen, host: host, port: port)
    }
}
