import Foundation

/// Builds the starting state of a world: every project, service and env group holding the initial
/// key, one finished deploy per app so each app's live env holds it too, and the vendor knowing it.
struct WorldSeeder {
    let world: SandboxWorld
    let initialKey: String
    let deployDuration: TimeInterval

    func seed(now: Date) -> (vercel: VercelState, render: RenderState, vendor: VendorState) {
        // The seed deploys finished a little before now, so they are READY / live from the start.
        let past = now.addingTimeInterval(-max(deployDuration, 1) - 1)

        let projects = world.vercel.projects.map { spec in
            var project = VercelProject(id: spec.id, name: spec.name, teamId: spec.teamId, appKey: spec.appKey ?? world.appKey)
            let seedEnv = [(project.appKey, initialKey)] + spec.env.sorted { $0.key < $1.key }.filter { $0.key != project.appKey }
            for (key, value) in seedEnv {
                project.envs.append(VercelEnvVar(key: key, value: value, type: .encrypted, target: ["production", "preview"],
                                                 gitBranch: nil, comment: "", createdAt: project.nextCreatedAt(past)))
            }
            let id = SandboxID.make("dpl_", length: 24)
            project.deployments.append(VercelDeployment(
                id: id, projectId: project.id, name: project.name,
                url: "\(project.name)-\(id.dropFirst(4).prefix(9).lowercased()).vercel.app", target: "production",
                createdAt: past, duration: deployDuration, fails: false, snapshot: project.snapshot(target: "production"),
                meta: [:], seeded: true))
            return project
        }

        let groups = world.render.envGroups.map { spec in
            var envVars = spec.seedAppKey ? [RenderEnvVar(key: world.appKey, value: initialKey)] : []
            envVars += spec.env.sorted { $0.key < $1.key }.filter { !spec.seedAppKey || $0.key != world.appKey }
                .map { RenderEnvVar(key: $0.key, value: $0.value) }
            return RenderEnvGroup(id: spec.id, name: spec.name, ownerId: world.render.ownerId, createdAt: past, updatedAt: past,
                                  envVars: envVars, serviceIds: spec.services)
        }
        var render = RenderState(
            services: world.render.services.map { spec in
                let appKey = spec.appKey ?? world.appKey
                var service = RenderService(id: spec.id, name: spec.name, appKey: appKey)
                service.envVars = [RenderEnvVar(key: appKey, value: initialKey)]
                    + spec.env.sorted { $0.key < $1.key }.filter { $0.key != appKey }.map { RenderEnvVar(key: $0.key, value: $0.value) }
                return service
            },
            groups: groups, limits: world.render.rateLimits, deployDuration: deployDuration)
        for index in render.services.indices {
            render.services[index].deploys = [RenderDeploy(
                id: SandboxID.render("dep-"), createdAt: past, duration: deployDuration, failure: nil,
                snapshot: render.snapshot(service: index), seeded: true)]
        }

        let vercel = VercelState(teams: world.vercel.teams, projects: projects, deployDuration: deployDuration)
        return (vercel, render, VendorState(initialKey: initialKey, now: past))
    }
}
