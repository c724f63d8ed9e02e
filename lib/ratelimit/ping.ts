// Readiness probe for the limiter store (Redis, Upstash or in-process).
import { getLimiterStore } from "./get-limiter-store";

export async function pingLimiterStore(): Promise<void> {
  await getLimiterStore().ping();
}
