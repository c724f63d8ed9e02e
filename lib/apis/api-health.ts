// Each API's recent upstream health for the developers' APIs page: the share of its calls over the last hour that
// ended in a server error (the gateway answers 502/504 when the upstream fails or times out), from the project usage
// rollups (minute buckets), so no request log is scanned.
import "server-only";
import { and, eq, gte, sql } from "drizzle-orm";
import { getDb, type Db } from "../db/client";
import { usageProjectRollups } from "../db/schema";
import { apiOfEndpoint } from "../usage/endpoint-api";

export type ApiHealth = { total: number; serverErrors: number; status: "operational" | "degraded" | "failing" | "no_traffic" };

export const HEALTH_WINDOW_MS = 60 * 60 * 1000;

export function healthStatus(total: number, serverErrors: number): ApiHealth["status"] {
  if (total === 0) return "no_traffic";
  const rate = serverErrors / total;
  return rate >= 0.25 ? "failing" : rate >= 0.02 ? "degraded" : "operational";
}

/** slug → health over the last hour (APIs without traffic are absent). */
export async function getApiHealth(db: Db, now = new Date()): Promise<Map<string, ApiHealth>> {
  const rows = await db
    .select({
      endpoint: usageProjectRollups.endpoint,
      total: sql<number>`sum(${usageProjectRollups.total})::int`,
      serverErrors: sql<number>`sum(${usageProjectRollups.serverErrors})::int`,
    })
    .from(usageProjectRollups)
    .where(and(eq(usageProjectRollups.granularity, "minute"), gte(usageProjectRollups.bucket, new Date(now.getTime() - HEALTH_WINDOW_MS))))
    .groupBy(usageProjectRollups.endpoint);
  const out = new Map<string, ApiHealth>();
  for (const r of rows) {
    const slug = apiOfEndpoint(r.endpoint);
    const prev = out.get(slug) ?? { total: 0, serverErrors: 0, status: "no_traffic" as const };
    const total = prev.total + Number(r.total);
    const serverErrors = prev.serverErrors + Number(r.serverErrors);
    out.set(slug, { total, serverErrors, status: healthStatus(total, serverErrors) });
  }
  return out;
}

export const loadApiHealth = async () => getApiHealth(await getDb());
