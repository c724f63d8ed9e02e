// Usage over time for one key, one project's keys or one team's projects, read from the rollup rows of the requested granularity.
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { projects, usageRollups } from "../db/schema";
import { ApiError } from "../http/errors";
import { findKey } from "../keys/find-key";
import { getProject } from "../projects/get-project";
import { authorizeTeam, type Actor } from "../teams/authorize";

export const MAX_USAGE_POINTS = 1_500;
const STEP_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type UsageGranularity = keyof typeof STEP_MS;

/** The query string of both usage endpoints. Defaults: the last 24 hours, by hour. */
export const usageQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    granularity: z.enum(["minute", "hour", "day"]).default("hour"),
  })
  .transform((q, ctx) => {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 86_400_000);
    if (from >= to) ctx.addIssue({ code: "custom", path: ["from"], message: "must be before to" });
    const points = Math.ceil((to.getTime() - Math.floor(from.getTime() / STEP_MS[q.granularity]) * STEP_MS[q.granularity]) / STEP_MS[q.granularity]);
    if (points > MAX_USAGE_POINTS) {
      ctx.addIssue({
        code: "custom",
        path: ["granularity"],
        message: `the range holds ${points} ${q.granularity} points; at most ${MAX_USAGE_POINTS} (use a coarser granularity or a shorter range)`,
      });
    }
    return { from, to, granularity: q.granularity };
  });

export type UsageQuery = z.infer<typeof usageQuerySchema>;
export type UsageCounts = { total: number; success: number; clientErrors: number; rateLimited: number; serverErrors: number };
export type UsagePoint = { t: string } & UsageCounts;
export type UsageSeries = { from: string; to: string; granularity: UsageGranularity; series: UsagePoint[]; totals: UsageCounts };

const zero = (): UsageCounts => ({ total: 0, success: 0, clientErrors: 0, rateLimited: 0, serverErrors: 0 });

export type UsageSubject = ({ keyId: string } | { projectId: string } | { teamId: string }) & {
  /** The member asking: any role in the project's team may read its usage (anyone else: 404). Null for admin tools. */
  member: Actor | null;
};

/** Zero-filled series from the bucket holding `from` up to `to` (exclusive), and totals over it. */
export async function queryUsage(db: Db, options: UsageSubject, query: UsageQuery): Promise<UsageSeries> {
  if (options.member !== null) {
    if ("keyId" in options) await findKey(db, { keyId: options.keyId, member: { actor: options.member, action: "read" } });
    else if ("projectId" in options) await getProject(db, { projectId: options.projectId, member: options.member });
    else await authorizeTeam(db, { actor: options.member, teamId: options.teamId, action: "read" });
  }
  const step = STEP_MS[query.granularity];
  const start = Math.floor(query.from.getTime() / step) * step;
  const end = query.to.getTime();
  if (Math.ceil((end - start) / step) > MAX_USAGE_POINTS) throw new ApiError("validation_failed", "Too many points requested.");
  const owner =
    "keyId" in options
      ? eq(usageRollups.keyId, options.keyId)
      : "projectId" in options
        ? eq(usageRollups.projectId, options.projectId)
        : // A team's usage: every project it owns (deleted ones too, so past traffic stays in the totals).
          inArray(usageRollups.projectId, db.select({ id: projects.id }).from(projects).where(eq(projects.teamId, options.teamId)));
  const rows = await db
    .select({
      bucket: usageRollups.bucket,
      total: sql<number>`sum(${usageRollups.total})::int`,
      success: sql<number>`sum(${usageRollups.success})::int`,
      clientErrors: sql<number>`sum(${usageRollups.clientErrors})::int`,
      rateLimited: sql<number>`sum(${usageRollups.rateLimited})::int`,
      serverErrors: sql<number>`sum(${usageRollups.serverErrors})::int`,
    })
    .from(usageRollups)
    .where(
      and(
        owner,
        eq(usageRollups.granularity, query.granularity),
        gte(usageRollups.bucket, new Date(start)),
        lt(usageRollups.bucket, new Date(end)),
      ),
    )
    .groupBy(usageRollups.bucket);

  const byBucket = new Map(rows.map((r) => [new Date(r.bucket).getTime(), r]));
  const totals = zero();
  const series: UsagePoint[] = [];
  for (let t = start; t < end; t += step) {
    const r = byBucket.get(t);
    const point = { t: new Date(t).toISOString(), ...zero() };
    if (r) {
      for (const k of ["total", "success", "clientErrors", "rateLimited", "serverErrors"] as const) {
        point[k] = Number(r[k]);
        totals[k] += Number(r[k]);
      }
    }
    series.push(point);
  }
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString(), granularity: query.granularity, series, totals };
}
