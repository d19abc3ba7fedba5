// Render target
