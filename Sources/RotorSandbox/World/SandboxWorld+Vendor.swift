extension SandboxWorld {
    /// The emulated key-issuing vendor.
    public struct Vendor: Sendable, Codable, Equatable {
        /// The bearer token that may mint and revoke keys.
        public var adminToken: String

        /// Creates a vendor; the default is the default world's.
        public init(adminToken: String = "sandbox-vendor-admin") {
            self.adminToken = adminToken
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case adminToken = "admin_token" }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            adminToken = try container.decodeIfPresent(String.self, forKey: .adminToken) ?? Vendor().adminToken
        }
    }
}
