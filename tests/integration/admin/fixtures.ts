// Owners, keys and usage rollups for analytics and admin domain tests, written straight to the run's database.
import { randomBytes } from "node:crypto";
import type { Db } from "../../../lib/db/client";
import { newId } from "../../../lib/db/ids";
import { apiKeys, keySecrets, projects, users } from "../../../lib/db/schema";
import { LATENCY_BUCKETS } from "../../../lib/usage/latency";
import { writeRollupRows } from "../../../lib/usage/usage-cells";
import { ensurePersonalTeam } from "../../../lib/teams/ensure-personal-team";

export type Fixture = { userId: string; email: string; projectId: string };

export async function createProjectOwner(db: Db, label = "analytics"): Promise<Fixture> {
  const userId = newId("usr");
  const email = `${label}-${randomBytes(6).toString("hex")}@example.test`;
  await db.insert(users).values({ id: userId, email, passwordHash: "not-a-real-hash" });
  const projectId = newId("prj");
  const teamId = await ensurePersonalTeam(db, { id: userId, email, name: null });
  await db.insert(projects).values({ id: projectId, ownerId: userId, teamId, name: `${label} project` });
  return { userId, email, projectId };
}

export async function createKeyRow(db: Db, owner: Fixture, values: Partial<typeof apiKeys.$inferInsert> = {}): Promise<string> {
  const id = newId("key");
  await db.insert(apiKeys).values({ id, projectId: owner.projectId, name: `key ${id.slice(-4)}`, tierId: "tier_free", ...values });
  const body = randomBytes(16).toString("hex");
  await db.insert(keySecrets).values({ id: newId("sec"), keyId: id, hash: body + body, start: `kp_live_${body.slice(0, 4)}`, last4: body.slice(-4) });
  return id;
}

/** A histogram with `n` requests in bucket `bucket`. */
export function histogramAt(bucket: number, n: number): number[] {
  const h = new Array(LATENCY_BUCKETS).fill(0);
  h[bucket] = n;
  return h;
}

export type RollupInput = {
  keyId: string;
  projectId: string;
  granularity: "minute" | "hour" | "day";
  bucket: Date;
  endpoint?: string;
  total: number;
  clientErrors?: number;
  rateLimited?: number;
  serverErrors?: number;
  latencySumMs?: number;
  latencyHistogram?: number[];
};

/**
 * The given rows as the flusher writes them: every minute row also counted in its hour and day rows, every hour row
 * in its day row (an hour row given without minute rows stands for an hour whose minutes are past retention).
 */
export function asFlushed(rows: RollupInput[]): RollupInput[] {
  const coarser = new Map<string, RollupInput>();
  const add = (r: RollupInput, granularity: "hour" | "day", step: number) => {
    const bucket = new Date(Math.floor(r.bucket.getTime() / step) * step);
    const id = `${r.keyId} ${r.endpoint ?? ""} ${granularity} ${bucket.toISOString()}`;
    const row = coarser.get(id) ?? { keyId: r.keyId, projectId: r.projectId, granularity, bucket, endpoint: r.endpoint, total: 0 };
    row.total += r.total;
    coarser.set(id, row);
  };
  for (const r of rows) {
    if (r.granularity !== "day") add(r, "hour", HOUR);
    add(r, "day", DAY);
  }
  return [...rows.filter((r) => r.granularity === "minute"), ...coarser.values()];
}

export async function insertRollups(db: Db, rows: RollupInput[]): Promise<void> {
  if (rows.length === 0) return;
  // Through the flusher's writer, so the per-key and per-project sums hold these rows too.
  await writeRollupRows(
    db,
    rows.map((r) => {
      const ce = r.clientErrors ?? 0;
      const rl = r.rateLimited ?? 0;
      const se = r.serverErrors ?? 0;
      return {
        keyId: r.keyId,
        projectId: r.projectId,
        granularity: r.granularity,
        bucket: r.bucket,
        endpoint: r.endpoint ?? "GET /api/v1/ping",
        total: r.total,
        success: r.total - ce - rl - se,
        clientErrors: ce,
        rateLimited: rl,
        serverErrors: se,
        latencySumMs: r.latencySumMs ?? r.total * 3,
        latencyHistogram: r.latencyHistogram ?? histogramAt(2, r.total),
      };
    }),
  );
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
