import Foundation
import RotorCore
import RotorHTTP

/// One credential at the vendor whose name follows the `leftovers.name` pattern.
public struct LeftoverCredential: Sendable, Equatable {
    /// The vendor's id (for `{{id}}` in `leftovers.delete`).
    public var id: String
    public var name: String
    /// The rotation the name carries.
    public var rotationID: String
}

extension HTTPSource {
    /// Whether the playbook names its credentials so that leftovers can be found.
    public var findsLeftovers: Bool { leftovers != nil }

    /// Every credential at the vendor named for some rotation of `secret`, following the list's pages.
    public func leftoverCredentials(secret: String) async throws -> [LeftoverCredential] {
        guard let leftovers else { return [] }
        let token = try await resolveToken()
        let placeholders = Placeholders(values: ["secret": secret].merging(token.map { ["token": $0] } ?? [:]) { a, _ in a },
                                        unavailable: ["id": "{{id}} is only available in leftovers.delete"])
        var found: [LeftoverCredential] = []
        var cursor: String?
        // A vendor that keeps answering has_more with the same page would loop forever: bound the pages.
        for _ in 0..<200 {
            var request = try leftovers.list.request(placeholders, action: "leftovers list")
            if let cursor, let parameter = leftovers.cursorParameter {
                let separator = request.url.contains("?") ? "&" : "?"
                request.url += separator + parameter + "=" + (cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            }
            request.isIdempotent = true
            let document = try parse(try await send(request, action: "leftovers list", secrets: token.map { [$0] } ?? []),
                                     action: "leftovers list")
            guard let items = try JSONPointer(parsing: leftovers.items).resolve(in: document) as? [Any] else {
                throw HTTPSourceError("http source leftovers list: `items: \(leftovers.items)` is not a list in the response; fix the pointer in the playbook")
            }
            var lastID: String?
            for item in items {
                let id = try JSONPointer(parsing: leftovers.itemID).resolve(in: item).flatMap(Self.text(_:))
                lastID = id ?? lastID
                guard let id, let name = try JSONPointer(parsing: leftovers.itemName).resolve(in: item).flatMap(Self.text(_:)),
                      let rotationID = leftovers.rotationID(in: name, secret: secret) else { continue }
                found.append(LeftoverCredential(id: id, name: name, rotationID: rotationID))
            }
            guard let more = leftovers.hasMore, (try JSONPointer(parsing: more).resolve(in: document) as? Bool) == true,
                  let lastID, lastID != cursor else { return found }
            cursor = lastID
        }
        return found
    }

    /// Deletes one leftover at the vendor; already gone (404, 410) counts as deleted.
    public func deleteLeftover(_ credential: LeftoverCredential, secret: String) async throws {
        guard let leftovers else { return }
        let token = try await resolveToken()
        var values = ["secret": secret, "id": credential.id]
        if let token { values["token"] = token }
        var request = try leftovers.delete.request(Placeholders(values: values, unavailable: [:]), action: "leftovers delete")
        request.isIdempotent = true
        _ = try await send(request, action: "leftovers delete", secrets: token.map { [$0] } ?? [], accepting: Self.alreadyRevoked)
    }

    /// On rollback: the rotation's credential is revoked, so every other credential named for this rotation
    /// (a retried mint's first account) is deleted too.
    func deleteLeftovers(of context: StepContext, keeping handle: String?) async throws {
        let mine = try await leftoverCredentials(secret: context.secret).filter { $0.rotationID == context.rotationID && $0.id != handle }
        for credential in mine {
            try await deleteLeftover(credential, secret: context.secret)
            context.logger.notice("http source: deleted a credential a retried mint left behind", metadata: [
                "secret": "\(context.secret)", "rotation": "\(context.rotationID)", "id": "\(credential.id)",
            ])
        }
    }

    private static func text(_ value: Any) -> String? {
        if let string = value as? String, !string.isEmpty { return string }
        return (value as? NSNumber)?.stringValue
    }
}
