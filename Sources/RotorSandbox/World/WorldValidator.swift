/// Finds every inconsistency in a world, so a world file is fixed in one pass rather than one
/// error at a time.
struct WorldValidator {
    let world: SandboxWorld

    func problems() -> [String] {
        var problems: [String] = []
        if let key = world.initialKey, key.isEmpty { problems.append("initial_key: must not be empty") }
        checkVariableName(world.appKey, field: "app_key", into: &problems)
        checkVercel(into: &problems)
        checkRender(into: &problems)
        if world.vendor.adminToken.isEmpty { problems.append("vendor.admin_token: must not be empty") }
        if world.openai.adminKey.isEmpty { problems.append("openai.admin_key: must not be empty") }
        for (index, project) in world.openai.projects.enumerated() where !project.hasPrefix("proj_") {
            problems.append("openai.projects[\(index)]: '\(project)' must start with 'proj_'")
        }
        if world.onepassword.token.isEmpty { problems.append("onepassword.token: must not be empty") }
        if world.slack.botToken.isEmpty { problems.append("slack.bot_token: must not be empty") }
        if world.slack.channels.isEmpty { problems.append("slack.channels: must name at least one channel id") }

        var appNames: [String: String] = [:]
        let apps = world.vercel.projects.map { ($0.name, "vercel project") } + world.render.services.map { ($0.id, "render service") }
        for (name, kind) in apps {
            if let other = appNames[name] {
                problems.append("app '\(name)': both a \(other) and a \(kind) have this name; apps need unique names")
            }
            appNames[name] = kind
        }
        return problems
    }

    private func checkVercel(into problems: inout [String]) {
        let vercel = world.vercel
        if vercel.token.isEmpty { problems.append("vercel.token: must not be empty") }
        checkUnique(vercel.teams.map(\.id), field: "vercel.teams id", into: &problems)
        checkUnique(vercel.teams.map(\.slug), field: "vercel.teams slug", into: &problems)
        for (index, team) in vercel.teams.enumerated() where !team.id.hasPrefix("team_") {
            problems.append("vercel.teams[\(index)].id: '\(team.id)' must start with 'team_'")
        }
        checkUnique(vercel.projects.map(\.id), field: "vercel.projects id", into: &problems)
        checkUnique(vercel.projects.map(\.name), field: "vercel.projects name", into: &problems)
        let teamIds = Set(vercel.teams.map(\.id))
        for (index, project) in vercel.projects.enumerated() {
            let field = "vercel.projects[\(index)]"
            if !project.id.hasPrefix("prj_") { problems.append("\(field).id: '\(project.id)' must start with 'prj_'") }
            if !Self.isProjectName(project.name) {
                problems.append("\(field).name: '\(project.name)' must be 1-100 lowercase letters, digits, '.', '_' or '-'")
            }
            if let team = project.teamId, !teamIds.contains(team) {
                problems.append("\(field).team_id: '\(team)' is not one of vercel.teams")
            }
            if let key = project.appKey { checkVariableName(key, field: "\(field).app_key", into: &problems) }
            for key in project.env.keys.sorted() { checkVariableName(key, field: "\(field).env", into: &problems) }
            if project.envTargets.isEmpty || !project.envTargets.allSatisfy(VercelEnvVar.targets.contains)
                || Set(project.envTargets).count != project.envTargets.count {
                problems.append("\(field).env_targets: must list some of production, preview, development, each once")
            }
        }
    }

    private func checkRender(into problems: inout [String]) {
        let render = world.render
        if render.token.isEmpty { problems.append("render.token: must not be empty") }
        let limits = render.rateLimits
        for (value, name) in [(limits.readsPerMinute, "reads_per_minute"), (limits.writesPerMinute, "writes_per_minute"),
                              (limits.deploysPerMinute, "deploys_per_minute")] where value < 1 {
            problems.append("render.rate_limits.\(name): must be at least 1, got \(value)")
        }
        checkUnique(render.services.map(\.id), field: "render.services id", into: &problems)
        checkUnique(render.envGroups.map(\.id), field: "render.env_groups id", into: &problems)
        let serviceIds = Set(render.services.map(\.id))
        for (index, service) in render.services.enumerated() {
            let field = "render.services[\(index)]"
            if !Self.isRenderID(service.id, prefix: "srv-") {
                problems.append("\(field).id: '\(service.id)' must be 'srv-' followed by lowercase letters, digits or '-'")
            }
            if let key = service.appKey { checkVariableName(key, field: "\(field).app_key", into: &problems) }
            for key in service.env.keys.sorted() { checkVariableName(key, field: "\(field).env", into: &problems) }
        }
        for (index, group) in render.envGroups.enumerated() {
            let field = "render.env_groups[\(index)]"
            if !Self.isRenderID(group.id, prefix: "evg-") {
                problems.append("\(field).id: '\(group.id)' must be 'evg-' followed by lowercase letters, digits or '-'")
            }
            for service in group.services where !serviceIds.contains(service) {
                problems.append("\(field).services: '\(service)' is not one of render.services")
            }
            checkUnique(group.services, field: "\(field).services", into: &problems)
            for key in group.env.keys.sorted() { checkVariableName(key, field: "\(field).env", into: &problems) }
        }
    }

    private func checkUnique(_ values: [String], field: String, into problems: inout [String]) {
        var seen = Set<String>()
        for value in values where !seen.insert(value).inserted {
            problems.append("\(field): '\(value)' appears more than once")
        }
    }

    private func checkVariableName(_ name: String, field: String, into problems: inout [String]) {
        if !Self.isVariableName(name) {
            problems.append("\(field): '\(name)' is not a valid variable name (letters, digits and '_', not starting with a digit)")
        }
    }

    /// A branch name the sandbox can put in an app name (`{project}-preview-{branch}`).
    static func isBranchName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 60
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    private static func isProjectName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
    }

    private static func isRenderID(_ id: String, prefix: String) -> Bool {
        id.hasPrefix(prefix) && id.count > prefix.count
            && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
