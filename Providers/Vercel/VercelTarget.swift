// Vercel target
