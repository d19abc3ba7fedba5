import Foundation

/// Builds the starting state of a world: every project, service and env group holding the initial
/// key, one finished deploy per app so each app's live env holds it too, and the vendor knowing it.
struct WorldSeeder {
    let world: SandboxWorld
    let initialKey: String
    let deployDuration: TimeInterval

    /// Everything the sandbox starts with.
    struct Seeded {
        let vercel: VercelState
        let render: RenderState
        let vendor: VendorState
        let openAI: OpenAIState
        let onePassword: OnePasswordState
    }

    func seed(now: Date) -> Seeded {
        // The seed deploys finished a little before now, so they are READY / live from the start.
        let past = now.addingTimeInterval(-max(deployDuration, 1) - 1)

        let projects = world.vercel.projects.map { spec in
            var project = VercelProject(id: spec.id, name: spec.name, teamId: spec.teamId, appKey: spec.appKey ?? world.appKey)
            let seedEnv = [(project.appKey, initialKey)] + spec.env.sorted { $0.key < $1.key }.filter { $0.key != project.appKey }
            for (key, value) in seedEnv {
                project.envs.append(VercelEnvVar(key: key, value: value, type: .encrypted, target: spec.envTargets,
                                                 gitBranch: nil, comment: "", createdAt: project.nextCreatedAt(past)))
            }
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
                // The live deploy runs the older commit; the branch head is one commit ahead (unreleased code).
                var service = RenderService(id: spec.id, name: spec.name, appKey: appKey, image: spec.image,
                                            commits: [RenderDeploySource.newCommitId(), RenderDeploySource.newCommitId()])
                service.envVars = [RenderEnvVar(key: appKey, value: initialKey)]
                    + spec.env.sorted { $0.key < $1.key }.filter { $0.key != appKey }.map { RenderEnvVar(key: $0.key, value: $0.value) }
                return service
            },
            groups: groups, limits: world.render.rateLimits, deployDuration: deployDuration)
        for index in render.services.indices {
            render.services[index].deploys = [RenderDeploy(
                id: SandboxID.render("dep-"), createdAt: past, duration: deployDuration, failure: nil,
                snapshot: render.snapshot(service: index), seeded: true,
                source: render.services[index].image.map { .image(ref: $0) } ?? .commit(id: render.services[index].commits[0]))]
        }

        var vercel = VercelState(teams: world.vercel.teams, projects: projects, deployDuration: deployDuration)
        for p in vercel.projects.indices {
            vercel.projects[p].deployments.append(vercel.makeDeployment(
                project: p, target: "production", gitBranch: nil, failure: nil, meta: [:], seeded: true, now: past))
        }
        return Seeded(vercel: vercel, render: render, vendor: VendorState(initialKey: initialKey, now: past),
                      openAI: OpenAIState(world: world.openai, now: past),
                      onePassword: OnePasswordState(appKey: world.appKey, initialKey: initialKey, now: past))
    }
}
