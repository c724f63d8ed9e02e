// POST /api/report-leak, the domain side: anyone who finds a key may report it. Limited per client IP (counted in
// the database, so across instances). The caller learns nothing: the answer is the same whether the string was one
// of our keys, an old one, or noise.
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { signInThrottles } from "../db/schema";
import { ApiError } from "../http/errors";
import { reportLeakedSecret } from "./report-leaked-secret";

export const REPORT_LEAK_PER_HOUR = 20;
const WINDOW_SECONDS = 3600;

export const reportLeakInput = z
  .object({
    secret: z.string().min(1).max(200).regex(/^[^\u0000]*$/),
    url: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  })
  .strict();

/**
 * Counts the report against the caller's hourly allowance (429 beyond), then acts on it only when it is a report at
 * all: a body without a usable secret or URL is dropped silently, since any other answer than 202 would tell the
 * caller something (CONTRACT §11).
 */
export async function reportLeak(db: Db, { ip, input }: { ip: string; input: unknown }): Promise<void> {
  const expired = sql`${signInThrottles.windowStartedAt} <= now() - make_interval(secs => ${WINDOW_SECONDS})`;
  const [row] = await db
    .insert(signInThrottles)
    .values({ subject: `report-leak:${ip}`, failures: 1, windowStartedAt: sql`now()` })
    .onConflictDoUpdate({
      target: signInThrottles.subject,
      set: {
        failures: sql`case when ${expired} then 1 else ${signInThrottles.failures} + 1 end`,
        windowStartedAt: sql`case when ${expired} then now() else ${signInThrottles.windowStartedAt} end`,
      },
    })
    .returning({ attempts: signInThrottles.failures });
  if (row && row.attempts > REPORT_LEAK_PER_HOUR) {
    throw new ApiError("too_many_attempts", "Too many reports from this address; try again later.", { headers: { "Retry-After": String(WINDOW_SECONDS) } });
  }
  const report = reportLeakInput.safeParse(input);
  if (!report.success) return;
  await reportLeakedSecret(db, { secret: report.data.secret.trim(), url: report.data.url ?? null, source: "report" });
}

/** The route's entry: the app's database. */
export async function receiveLeakReport(options: { ip: string; input: unknown }): Promise<void> {
  const { getDb } = await import("../db/client");
  await reportLeak(await getDb(), options);
}
