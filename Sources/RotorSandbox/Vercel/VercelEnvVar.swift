import Foundation
import RotorCrypto

/// One environment variable of a Vercel project.
struct VercelEnvVar: Sendable {
    /// The variable types a client may create; `system` and the legacy `secret` are Vercel's own.
    enum Kind: String, Sendable, CaseIterable {
        case plain, encrypted, sensitive
    }

    static let targets = ["production", "preview", "development"]

    let id: String
    var key: String
    var value: String
    var type: Kind
    var target: [String]
    var gitBranch: String?
    var comment: String
    /// Milliseconds since the epoch; unique within a project, because list pagination uses it as a cursor.
    let createdAt: Int
    var updatedAt: Int
    /// What listings show instead of the value of an `encrypted` variable, as Vercel does.
    private(set) var ciphertext: String

    init(key: String, value: String, type: Kind, target: [String], gitBranch: String?, comment: String, createdAt: Int) {
        self.id = Base62.randomString(length: 16)
        self.key = key
        self.value = value
        self.type = type
        self.target = target
        self.gitBranch = gitBranch
        self.comment = comment
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.ciphertext = Self.encrypt(value)
    }

    mutating func setValue(_ newValue: String) {
        value = newValue
        ciphertext = Self.encrypt(newValue)
    }

    /// Whether this and a variable with `key`, `target` and `gitBranch` would be ambiguous: same key
    /// and branch, some target in common.
    func conflicts(key otherKey: String, target otherTarget: [String], gitBranch otherBranch: String?) -> Bool {
        key == otherKey && gitBranch == otherBranch && !Set(target).isDisjoint(with: otherTarget)
    }

    /// The variable as Vercel lists it: `encrypted` values as ciphertext, `sensitive` values absent.
    var listed: JSONValue { json(decrypted: false) }

    /// The variable as `GET /v1/projects/{p}/env/{id}` shows it: decrypted, unless `sensitive`.
    var decrypted: JSONValue { json(decrypted: type != .sensitive) }

    private func json(decrypted: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string(type.rawValue))]
        switch type {
        case .sensitive: break
        case .plain: members.append(("value", .string(value)))
        case .encrypted: members.append(("value", .string(decrypted ? value : ciphertext)))
        }
        members += [
            ("target", .strings(target)), ("configurationId", nil), ("comment", .string(comment)), ("id", .string(id)),
            ("key", .string(key)), ("createdAt", .int(createdAt)), ("updatedAt", .int(updatedAt)), ("createdBy", nil),
            ("updatedBy", nil),
        ]
        if let gitBranch { members.append(("gitBranch", .string(gitBranch))) }
        members += [("decrypted", .bool(decrypted)), ("customEnvironmentIds", [])]
        return .object(members)
    }

    /// Random bytes in the shape of Vercel's stored ciphertext; unrelated to the value, so nothing can
    /// be learnt from a listing.
    private static func encrypt(_ value: String) -> String {
        Base64.encode(SecureRandom.bytes(max(32, value.utf8.count + 28)))
    }
}
