import Foundation

extension SandboxStore {
    /// `GET /_sandbox/state`: everything a demo or a test wants to see at a glance. Values appear
    /// only as fingerprints, except `initial_key`, which the demo imports into Rotor.
    func stateJSON() -> JSONValue {
        let now = self.now()
        let projects: [JSONValue] = vercel.projects.map { project in
            let live = project.liveDeployment(at: now)
            return [
                "id": .string(project.id), "name": .string(project.name), "team_id": .optional(project.teamId),
                "env": .array(project.envs.map { env in
                    ["id": .string(env.id), "key": .string(env.key), "type": .string(env.type.rawValue), "target": .strings(env.target),
                     "fingerprint": .string(Fingerprint.of(env.value))]
                }),
                "deploy_count": .int(project.deployCount), "live_deployment": .optional(live?.id),
                "rollback": project.rollback?.json ?? nil, "preview_branches": .strings(project.previewBranches),
                "live_fingerprint": Fingerprint.of(live?.snapshot[project.appKey]),
            ]
        }
        let services: [JSONValue] = render.services.map { service in
            let live = service.liveDeploy(at: now)
            return [
                "id": .string(service.id), "name": .string(service.name),
                "env": .array(service.envVars.map { ["key": .string($0.key), "fingerprint": .string(Fingerprint.of($0.value))] }),
                "env_groups": .strings(render.groups.filter { $0.serviceIds.contains(service.id) }.map(\.id)),
                "deploy_count": .int(service.deployCount), "live_deploy": .optional(live?.id),
                "branch_head": service.image == nil ? .string(service.branchHead) : nil,
                "live_commit": live?.source.commitJSON["id"] ?? nil, "image": .optional(service.image),
                "live_fingerprint": Fingerprint.of(live?.snapshot[service.appKey]),
            ]
        }
        let groups: [JSONValue] = render.groups.map { group in
            ["id": .string(group.id), "name": .string(group.name), "services": .strings(group.serviceIds),
             "env": .array(group.envVars.map { ["key": .string($0.key), "fingerprint": .string(Fingerprint.of($0.value))] })]
        }
        let apps: [JSONValue] = appNames.compactMap { name in
            appStatus(name).map { ["name": .string($0.name), "provider": .string($0.provider), "healthy": .bool($0.isHealthy),
                                   "live_fingerprint": Fingerprint.of($0.liveValue)] }
        }
        return [
            "initial_key": .string(initialKey),
            "vercel": ["projects": .array(projects)],
            "render": ["services": .array(services), "env_groups": .array(groups), "rate_limited": .int(render.rateLimited)],
            "vendor": ["keys": .array(vendor.keys.map(\.summary))],
            "openai": ["service_accounts": .array(openAI.accounts.map { $0.json.setting("project_id", .string($0.projectId))
                    .setting("key_fingerprint", .string(Fingerprint.of($0.key.value))) }),
                       "api_keys": .array(openAI.keys.map { $0.json.setting("project_id", .string($0.projectId)) })],
            "onepassword": ["items": .array(onePassword.items.map { item in
                item.summary.setting("fields", .array(item.fields.map { ["id": .string($0.id), "label": .string($0.label),
                                                                          "fingerprint": Fingerprint.of($0.value)] }))
            })],
            "slack": ["messages": .array(slack.messages.map(\.json))],
            "apps": .array(apps),
            "faults": faults.json,
        ]
    }
}
