// The project pool's gauges: how much of the project tier's minute, day and month the project's keys (together) have
// used, read from the limiter's pool counters without charging them. Callers pass a project they have authorized.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { tiers, type Project } from "../db/schema";
import { getLimiterStore } from "../ratelimit/get-limiter-store";
import { poolPoliciesFor, type PoolPolicyName } from "../ratelimit/policies";
import { LimiterUnavailableError, type LimiterStore } from "../ratelimit/store";

export type PoolGauge = { policy: PoolPolicyName; limit: number; used: number; resetsAt: string };
/** `gauges: null`: the limiter could not answer (the page says so instead of showing zeros). */
export type PoolStatus = { tier: { id: string; name: string }; gauges: PoolGauge[] | null };

export async function getPoolStatus(
  db: Db,
  options: { project: Pick<Project, "id" | "tierId">; now?: Date; limiter?: LimiterStore },
): Promise<PoolStatus> {
  const [tier] = await db.select().from(tiers).where(eq(tiers.id, options.project.tierId));
  const policies = poolPoliciesFor(tier, (options.now ?? new Date()).getTime());
  const status = { tier: { id: tier.id, name: tier.name } };
  if (policies.length === 0) return { ...status, gauges: [] };
  try {
    // Pool counters do not depend on the key: any id reads the project's.
    const states = await (options.limiter ?? getLimiterStore()).peek("pool-reader", policies, Date.now(), options.project.id);
    return {
      ...status,
      gauges: states.map((s) => ({
        policy: s.policy.name as PoolPolicyName,
        limit: s.policy.limit,
        used: Math.max(0, s.policy.limit - s.remaining),
        resetsAt: new Date(s.policy.end).toISOString(),
      })),
    };
  } catch (error) {
    if (error instanceof LimiterUnavailableError) return { ...status, gauges: null };
    throw error;
  }
}
