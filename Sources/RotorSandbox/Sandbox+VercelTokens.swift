extension Sandbox {
    /// Mints a Vercel access token as `POST /v3/user/tokens` would; returns its id and bearer.
    public func createVercelToken(name: String) async -> (id: String, bearer: String) {
        await store.withVercel { state, _, now in
            let token = VercelToken(name: name, expiresAt: nil, now: now)
            state.tokens.append(token)
            return (token.id, token.bearer)
        }
    }

    /// Whether the Vercel API accepts `bearer` now (the world's token, or a minted one not deleted).
    public func isVercelTokenAccepted(_ bearer: String) async -> Bool {
        let worldToken = world.vercel.token
        return await store.withVercel { state, _, now in state.accepts(bearer, worldToken: worldToken, now: now) }
    }
}
