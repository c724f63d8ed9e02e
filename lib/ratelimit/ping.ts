// Placeholder until the limiter stores land: the in-process store is always reachable.
export async function pingLimiterStore(): Promise<void> {}
