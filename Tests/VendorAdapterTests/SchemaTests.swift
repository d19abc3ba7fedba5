import ProviderRender
import ProviderVercel
import RotorCore
import Testing

@Suite("Vercel and Render playbook schemas")
struct SchemaTests {
    @Test func vercelAcceptsExactlyTheDocumentedFields() {
        #expect(VercelTarget.schema.kind == .target)
        #expect(VercelTarget.schema.name == "vercel")
        #expect(Set(VercelTarget.schema.fields.map(\.name)) == ["project", "team", "key", "environments", "git_branch", "type",
                                                               "redeploy", "previews", "previews_within", "token", "api", "deploy_timeout",
                                                               "poll_interval"])
        #expect(VercelTarget.schema.fields.filter(\.required).map(\.name).sorted() == ["key", "project"])
    }

    @Test func vercelAllowsAGitBranchOnlyForPreviewAlone() {
        let rules = VercelTarget.schema.rules
        // (`previews` is required with preview: given here, the rule under test stands alone.)
        #expect(rules(["git_branch": .string("main"), "environments": .list([.string("preview")]), "previews": .string("ignore")]).isEmpty)
        #expect(rules(["git_branch": .string("main"), "environments": .list([.string("production"), .string("preview")]),
                       "previews": .string("ignore")]).map(\.field) == ["git_branch"])
        #expect(rules(["git_branch": .string("main"), "previews": .string("ignore")]).map(\.field) == ["git_branch"])
    }

    @Test func vercelRefusesASensitiveVariableForDevelopment() {
        let rules = VercelTarget.schema.rules
        #expect(rules(["type": .string("sensitive"), "environments": .list([.string("development")])]).map(\.field) == ["type"])
        #expect(rules(["type": .string("sensitive"), "previews": .string("ignore")]).isEmpty)
        #expect(rules(["type": .string("encrypted"), "environments": .list([.string("development")])]).isEmpty)
    }

    @Test func vercelWantsAPreviewsPolicyWhenItWritesPreview() {
        let rules = VercelTarget.schema.rules
        let problems = rules(["environments": .list([.string("production"), .string("preview")])])
        #expect(problems.map(\.field) == ["previews"])
        #expect(problems.first?.message.contains("previews: redeploy") == true)
        #expect(rules([:]).map(\.field) == ["previews"])
        #expect(rules(["environments": .list([.string("production")])]).isEmpty)
        #expect(rules(["previews": .string("redeploy")]).isEmpty)
    }

    @Test func renderWantsExactlyOneOfServiceAndEnvGroup() {
        #expect(RenderTarget.schema.name == "render")
        #expect(Set(RenderTarget.schema.fields.map(\.name)) == ["service", "env_group", "key", "deploy", "token", "api",
                                                               "deploy_timeout", "poll_interval"])
        let rules = RenderTarget.schema.rules
        #expect(rules(["service": .string("srv-api")]).isEmpty)
        #expect(rules(["env_group": .string("evg-shared")]).isEmpty)
        #expect(rules(["service": .string("srv-api"), "env_group": .string("evg-shared")]).count == 1)
        #expect(rules([:]).count == 1)
    }
}
