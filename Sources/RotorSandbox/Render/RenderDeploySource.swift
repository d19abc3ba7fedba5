import Foundation
import RotorCrypto

/// What a Render deploy runs: a commit of the service's repository, or an image for image-backed
/// services (`deploy.commit` / `deploy.image` in Render's deploy object).
enum RenderDeploySource: Sendable, Equatable {
    case commit(id: String)
    case image(ref: String)

    /// The `commit` member: `{"id","message","createdAt"}`, or null for an image deploy.
    var commitJSON: JSONValue {
        guard case .commit(let id) = self else { return nil }
        return ["id": .string(id), "message": .string("sandbox commit \(id.prefix(7))")]
    }

    /// The `image` member: `{"ref","sha","registryCredential"}`, or null for a commit deploy.
    var imageJSON: JSONValue {
        guard case .image(let ref) = self else { return nil }
        return ["ref": .string(ref), "sha": .string("sha256:" + SHA256.hex(Array(ref.utf8))), "registryCredential": nil]
    }

    /// A random 40-hex-digit commit id, as Git writes them.
    static func newCommitId() -> String {
        SecureRandom.bytes(20).map { String(format: "%02x", $0) }.joined()
    }
}
