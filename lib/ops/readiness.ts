// Readiness: each dependency answers within a deadline, or the instance is not ready and says which.
import { clockWarnings } from "../clock/cluster-clock";
import { getDatabase } from "../db/client";
import { pingLimiterStore } from "../ratelimit/ping";
import { isDraining } from "./draining";
import { describeLimiterPersistence } from "./limiter-persistence";

export type Readiness = {
  ready: boolean;
  checks: Record<string, "ok" | "unavailable" | "draining">;
  /** Not failures: things an operator should fix (a limiter Redis without persistence, a clock over 2 s off). */
  warnings: string[];
};

const withDeadline = <T>(work: Promise<T>, ms: number) =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref?.())]);

export async function checkReadiness(deadlineMs = 1_500): Promise<Readiness> {
  // After SIGTERM: not ready at once, without asking anyone (the pools are about to close).
  if (isDraining()) return { ready: false, checks: { shutdown: "draining" }, warnings: [] };
  const probes: Record<string, () => Promise<unknown>> = {
    database: async () => (await getDatabase()).ping(),
    limiter: () => pingLimiterStore(),
  };
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      try {
        await withDeadline(probe(), deadlineMs);
        return [name, "ok"] as const;
      } catch {
        return [name, "unavailable"] as const;
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  const persistence = checks.limiter === "ok" ? await describeLimiterPersistence() : null;
  // A clock over 2 s off PostgreSQL's or Redis's (measured every minute, lib/ops/clock-skew.ts) is a warning, not a
  // failure: the instance serves correctly on the shared clocks.
  const warnings = [...(persistence?.warning ? [persistence.warning] : []), ...clockWarnings()];
  return { ready: entries.every(([, state]) => state === "ok"), checks, warnings };
}
