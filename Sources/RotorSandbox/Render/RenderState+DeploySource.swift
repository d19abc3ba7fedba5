import Foundation

/// What `POST /services/{id}/deploys` builds (render-api.md "Corrections"): without `commitId` the head
/// of the connected branch, not what is live; with `commitId` that commit; `imageUrl` for image-backed
/// services; `deployMode: "deploy_only"` redeploys the live build and cannot be combined with `clearCache`.
extension RenderState {
    func deploySource(service s: Int, body: JSONValue?, now: Date) throws(APIFailure) -> RenderDeploySource {
        let fields = try Self.deployFields(body)
        let service = services[s]
        if fields["deployMode"] == "deploy_only", fields["clearCache"] != nil {
            throw APIFailure.render(400, "bad_request", "clearCache cannot be used with deployMode deploy_only: nothing is built")
        }
        if let image = service.image {
            if fields["commitId"] != nil {
                throw APIFailure.render(400, "bad_request", "\(service.id) deploys an image: send imageUrl, not commitId")
            }
            if let url = fields["imageUrl"] {
                guard Self.sameImage(url, image) else {
                    throw APIFailure.render(400, "bad_request", "imageUrl must name the service's image (\(Self.repository(of: image))), with any tag or digest")
                }
                return .image(ref: url)
            }
            if fields["deployMode"] == "deploy_only", let live = service.liveDeploy(at: now) { return live.source }
            return .image(ref: image)
        }
        if fields["imageUrl"] != nil {
            throw APIFailure.render(400, "bad_request", "\(service.id) is built from a repository: send commitId, not imageUrl")
        }
        if let commit = fields["commitId"] {
            guard let known = service.commits.first(where: { $0 == commit || (commit.count >= 7 && $0.hasPrefix(commit)) }) else {
                throw APIFailure.render(400, "bad_request", "commit \(commit) not found on branch \(service.branch) of \(service.id)")
            }
            return .commit(id: known)
        }
        if fields["deployMode"] == "deploy_only", let live = service.liveDeploy(at: now) { return live.source }
        return .commit(id: service.branchHead)
    }

    /// The body's fields, each checked to be a string of an allowed value.
    private static func deployFields(_ body: JSONValue?) throws(APIFailure) -> [String: String] {
        guard let body else { return [:] }
        guard case .object(let members) = body else { throw APIFailure.render(400, "bad_request", "the body must be an object") }
        let allowed: [String: Set<String>?] = [
            "clearCache": ["do_not_clear", "clear"], "deployMode": ["build_and_deploy", "deploy_only"],
            "commitId": nil, "imageUrl": nil,
        ]
        var fields: [String: String] = [:]
        for (name, value) in members {
            guard let choices = allowed[name] else { throw APIFailure.render(400, "bad_request", "unknown field: \(name)") }
            guard let text = value.stringValue else { throw APIFailure.render(400, "bad_request", "\(name) must be a string") }
            if let choices, !choices.contains(text) {
                throw APIFailure.render(400, "bad_request", "\(name) must be one of \(choices.sorted().joined(separator: ", "))")
            }
            fields[name] = text
        }
        return fields
    }

    /// `docker.io/org/app:1.2` without its tag or digest.
    private static func repository(of image: String) -> String {
        if let at = image.firstIndex(of: "@") { return String(image[..<at]) }
        if let colon = image.lastIndex(of: ":"), !image[colon...].contains("/") { return String(image[..<colon]) }
        return image
    }

    private static func sameImage(_ a: String, _ b: String) -> Bool {
        repository(of: a) == repository(of: b)
    }

    /// Admin: a new commit on the service's branch (a push), which the next deploy without `commitId` builds.
    mutating func push(service s: Int, commit: String?) throws(APIFailure) -> JSONValue {
        guard services[s].image == nil else {
            throw APIFailure.plain(400, "bad_request", "\(services[s].id) deploys an image; it has no branch")
        }
        let commit = commit ?? RenderDeploySource.newCommitId()
        guard commit.count >= 7, commit.allSatisfy(\.isHexDigit) else {
            throw APIFailure.plain(400, "bad_request", "\"commit\" must be a hexadecimal commit id of at least 7 digits")
        }
        services[s].push(commit.lowercased())
        return ["service": .string(services[s].id), "branch": .string(services[s].branch), "head": .string(services[s].branchHead)]
    }
}
