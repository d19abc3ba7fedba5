import RotorCore

/// Provider schemas shaped like the real providers' (which live outside RotorCore and register their own).
enum TestCatalog {
    static let request: [FieldSpec] = [
        FieldSpec("method", .enumeration(["GET", "POST", "PUT", "PATCH", "DELETE"])),
        FieldSpec("url", .url, required: true, doc: "where to send the request"),
        FieldSpec("headers", .stringMap),
        FieldSpec("body", .json),
    ]

    static let schemas: [ProviderSchema] = [
        ProviderSchema(kind: .source, name: "random", fields: [
            FieldSpec("length", .int(16...256)),
            FieldSpec("alphabet", .enumeration(["base62", "hex", "base64url"])),
            FieldSpec("prefix", .string),
        ]),
        ProviderSchema(kind: .source, name: "key-table", fields: []),
        ProviderSchema(kind: .source, name: "http", fields: [
            FieldSpec("mint", .object(request)),
            FieldSpec("revoke", .object(request)),
            FieldSpec("value", .jsonPointer, required: true, doc: "JSON pointer to the new secret in the mint response"),
            FieldSpec("handle", .jsonPointer),
            FieldSpec("token", .credentialRef),
        ]),
        ProviderSchema(kind: .target, name: "file", fields: [
            FieldSpec("path", .nonEmptyString, required: true, doc: "the file to write"),
            FieldSpec("format", .enumeration(["dotenv", "json"])),
            FieldSpec("key", .nonEmptyString, required: true, doc: "the entry to set"),
        ], labelFields: ["path", "key"]),
        ProviderSchema(kind: .target, name: "vercel", fields: [
            FieldSpec("project", .nonEmptyString, required: true, doc: "the Vercel project name or id"),
            FieldSpec("key", .nonEmptyString, required: true, doc: "the environment variable"),
            FieldSpec("environments", .enumList(["production", "preview", "development"])),
            FieldSpec("team", .string),
            FieldSpec("git_branch", .string),
            FieldSpec("type", .enumeration(["encrypted", "sensitive"])),
            FieldSpec("redeploy", .bool),
            FieldSpec("token", .credentialRef),
            FieldSpec("api", .url),
        ], labelFields: ["project", "key"], rules: { fields in
            // Vercel only scopes a variable to a branch for preview deployments.
            guard fields["git_branch"] != nil else { return [] }
            let environments = fields["environments"]?.listValue?.compactMap(\.stringValue) ?? []
            return environments == ["preview"] ? [] : [("git_branch", "git_branch needs environments: [preview]")]
        }),
        ProviderSchema(kind: .target, name: "render", fields: [
            FieldSpec("service", .nonEmptyString),
            FieldSpec("env_group", .nonEmptyString),
            FieldSpec("key", .nonEmptyString, required: true),
        ], labelFields: ["service", "env_group", "key"], rules: { fields in
            (fields["service"] == nil) == (fields["env_group"] == nil)
                ? [(nil, "render needs exactly one of service or env_group")] : []
        }),
        ProviderSchema(kind: .check, name: "http", fields: [
            FieldSpec("url", .url, required: true, doc: "the health endpoint"),
            FieldSpec("method", .enumeration(["GET", "POST", "HEAD"])),
            FieldSpec("headers", .stringMap),
            FieldSpec("expect_status", .int(100...599)),
            FieldSpec("expect_body_contains", .string),
            FieldSpec("timeout", .duration),
            FieldSpec("retries", .int(0...100)),
            FieldSpec("interval", .duration),
            FieldSpec("consecutive", .int(1...100)),
        ], labelFields: ["url"]),
    ]

    static let catalog = ProviderCatalog(schemas)
    static let channels: Set<String> = ["security-slack", "oncall-email", "customers"]
    static let parser = PlaybookParser(catalog: catalog, knownChannels: channels)
}
