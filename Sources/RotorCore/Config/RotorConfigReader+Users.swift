import Yams

extension RotorConfigReader {
    static let userKeys = ["name", "role", "token"]

    /// `users: [{ name: alice, role: operator, token: env:ROTOR_TOKEN_ALICE }]`: each name valid and listed once,
    /// the role `viewer` or `operator`, the token a credential reference (never the token itself).
    func users(_ node: Node) -> [UserConfig]? {
        guard let items = reader.list(node, for: "users", expected: "a list of { name, role, token }") else { return nil }
        let before = reader.sink.count
        var users: [UserConfig] = []
        for item in items {
            guard let mapping = reader.mapping(item, for: "users", expected: "a mapping { name: alice, role: operator, token: env:NAME }")
            else { continue }
            reader.checkKeys(mapping, allowed: Self.userKeys, in: "a user")
            var name: String?
            if let entry = mapping["name"], let text = reader.string(entry.value, for: "name") {
                if !Playbook.isValidSecretName(text) {
                    reader.sink.report(entry.value, "\(NodeReader.shortQuote(text)) is not a valid user name",
                                       hint: "up to 63 characters: lowercase letters, digits, '.', '_' and '-'")
                } else if text == "admin" {
                    reader.sink.report(entry.value, "'admin' is the name of the admin token's account",
                                       hint: "give the person their own name; the admin token signs in as admin")
                } else if users.contains(where: { $0.name == text }) {
                    reader.sink.report(entry.value, "user '\(text)' is listed twice")
                } else {
                    name = text
                }
            } else if mapping["name"] == nil {
                reader.missing("name", in: mapping, context: "a user", hint: "name: alice")
            }
            var role: UserConfig.Role?
            if let entry = mapping["role"], let text = reader.string(entry.value, for: "role") {
                role = UserConfig.Role(rawValue: text)
                if role == nil {
                    reader.sink.report(entry.value, "\(NodeReader.shortQuote(text)) is not a role", hint: "role: viewer or role: operator")
                }
            } else if mapping["role"] == nil {
                reader.missing("role", in: mapping, context: "a user", hint: "role: viewer or role: operator")
            }
            var token: CredentialReference?
            if let entry = mapping["token"] {
                token = credential(entry.value, key: "token", what: "a person's sign-in token")
            } else {
                reader.missing("token", in: mapping, context: "a user", hint: "token: env:ROTOR_TOKEN_ALICE")
            }
            if let name, let role, let token { users.append(UserConfig(name: name, role: role, token: token)) }
        }
        return reader.sink.count == before ? users : nil
    }
}
