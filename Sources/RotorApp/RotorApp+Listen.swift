import Foundation
import RotorCore

extension RotorApp {
    /// Where `rotor serve` and `rotor run` listen. Flags beat the environment, which beats rotor.yml: `--listen`
    /// (or `--host` and `--port`, each on its own), else ROTOR_LISTEN, else `server.listen`, else 127.0.0.1:8750.
    public func listenAddress(listen: String? = nil, host: String? = nil, port: Int? = nil) throws -> (host: String, port: Int) {
        var address = (host: config.server.host, port: config.server.port)
        if let text = environment["ROTOR_LISTEN"], !text.isEmpty {
            guard let parsed = ServerConfig.address(text) else { throw ListenAddressError(origin: "ROTOR_LISTEN") }
            address = parsed
        }
        if let listen {
            guard let parsed = ServerConfig.address(listen) else { throw ListenAddressError(origin: "--listen") }
            address = parsed
        }
        if let host { address.host = host }
        if let port { address.port = port }
        return address
    }
}
