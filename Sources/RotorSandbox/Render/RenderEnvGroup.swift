import Foundation

/// A Render env group and the services linked to it.
struct RenderEnvGroup: Sendable {
    let id: String
    let name: String
    let ownerId: String
    let createdAt: Date
    var updatedAt: Date
    var envVars: [RenderEnvVar]
    var serviceIds: [String]

    /// `GET /env-groups/{id}` and the answer to a group variable write.
    func json(services: [RenderService]) -> JSONValue {
        let links: [JSONValue] = serviceIds.compactMap { id in
            guard let service = services.first(where: { $0.id == id }) else { return nil }
            return ["id": .string(service.id), "name": .string(service.name), "type": "web_service"]
        }
        return [
            "id": .string(id), "name": .string(name), "ownerId": .string(ownerId), "environmentId": nil,
            "createdAt": .string(Timestamp.rfc3339(createdAt)), "updatedAt": .string(Timestamp.rfc3339(updatedAt)),
            "envVars": .array(envVars.map(\.json)), "secretFiles": [], "serviceLinks": .array(links),
        ]
    }
}
