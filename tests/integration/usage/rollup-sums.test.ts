// The per-key and per-project sums (usage_key_totals, usage_project_rollups) always equal usage_rollups summed over
// the endpoint or the key: after live traffic over several flushes, and when a journal segment is written twice.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { flushUsage, recordUsage } from "../../../lib/usage/usage-buffer";
import { countRequest, writeUsageOnce, type Cells } from "../../../lib/usage/usage-cells";
import { openTestDatabase } from "../../support/databases";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
});
afterAll(async () => {
  await database?.close();
});

const id = (prefix: string) => `${prefix}_${randomBytes(6).toString("hex")}`;
type Rows = { rows: Record<string, unknown>[] };
const all = async (query: ReturnType<typeof sql>) => ((await database.db.execute(query)) as unknown as Rows).rows.map((r) => JSON.stringify(r));

/** Both sides of both sums for these projects, as sorted JSON lines (histograms summed element-wise). */
async function sums(projectIds: string[]) {
  const ids = sql.join(projectIds.map((p) => sql`${p}`), sql`, `);
  const histogram = (from: ReturnType<typeof sql>) => sql`(select array_agg(n order by i) from (select i, sum(n)::int n from ${from} group by i) h)`;
  const [keyFromRollups, keyTotals, projectFromRollups, projectRollups] = await Promise.all([
    all(sql`select key_id, project_id, granularity, bucket, sum(total)::int total, sum(success)::int success, sum(client_errors)::int ce,
      sum(rate_limited)::int rl, sum(server_errors)::int se from usage_rollups where project_id in (${ids}) group by 1, 2, 3, 4 order by 1, 2, 3, 4`),
    all(sql`select key_id, project_id, granularity, bucket, total, success, client_errors ce, rate_limited rl, server_errors se
      from usage_key_totals where project_id in (${ids}) order by 1, 2, 3, 4`),
    all(sql`select r.project_id, r.granularity, r.bucket, r.endpoint, sum(total)::int total, sum(success)::int success, sum(client_errors)::int ce,
      sum(rate_limited)::int rl, sum(server_errors)::int se, sum(latency_sum_ms)::bigint lat,
      ${histogram(sql`usage_rollups x, unnest(x.latency_histogram) with ordinality u(n, i) where x.project_id = r.project_id and x.granularity = r.granularity and x.bucket = r.bucket and x.endpoint = r.endpoint`)} hist
      from usage_rollups r where r.project_id in (${ids}) group by 1, 2, 3, 4 order by 1, 2, 3, 4`),
    all(sql`select project_id, granularity, bucket, endpoint, total, success, client_errors ce, rate_limited rl, server_errors se, latency_sum_ms lat,
      latency_histogram hist from usage_project_rollups where project_id in (${ids}) order by 1, 2, 3, 4`),
  ]);
  return { keyFromRollups, keyTotals, projectFromRollups, projectRollups };
}

const ENDPOINTS = ["GET /api/v1/products", "GET /api/v1/products/{sku}", "PUT /api/v1/inventory/{sku}"];
const STATUSES = [200, 200, 201, 404, 429, 503];

describe("usage rollup sums", () => {
  it("equal usage_rollups summed over endpoints (per key) and over keys (per project) after traffic", async () => {
    const projectIds = [id("prj"), id("prj")];
    const keys = [0, 0, 1].map((p) => ({ keyId: id("key"), projectId: projectIds[p] }));
    const base = Date.parse("2026-11-10T22:58:00Z");
    // Four flushes over a day boundary, hour boundaries and repeated minutes, every key on every endpoint.
    let n = 0;
    for (let flush = 0; flush < 4; flush++) {
      for (let i = 0; i < 60; i++, n++) {
        const key = keys[n % keys.length];
        recordUsage({
          ...key,
          endpoint: ENDPOINTS[(n * 7) % ENDPOINTS.length],
          at: new Date(base + ((n * 37) % 240) * 60_000 + (n % 50) * 1000),
          status: STATUSES[(n * 5) % STATUSES.length],
          latencyMs: (n * 13) % 900,
        });
      }
      await flushUsage(database.db);
    }
    const s = await sums(projectIds);
    expect(s.keyFromRollups.length).toBeGreaterThan(20);
    expect(s.keyTotals).toEqual(s.keyFromRollups);
    expect(s.projectRollups).toEqual(s.projectFromRollups);
    // Sanity: all 240 requests are there, at every granularity, in both sums.
    const total = async (table: string, g: string) =>
      Number(((await database.db.execute(sql`select coalesce(sum(total), 0)::int n from ${sql.raw(table)} where project_id in (${sql.join(projectIds.map((p) => sql`${p}`), sql`, `)}) and granularity = ${g}`)) as unknown as { rows: { n: number }[] }).rows[0].n);
    for (const g of ["minute", "hour", "day"]) {
      expect(await total("usage_key_totals", g)).toBe(240);
      expect(await total("usage_project_rollups", g)).toBe(240);
    }
  });

  it("counts a journal segment once in the sums too, however often it is written", async () => {
    const projectId = id("prj");
    const keyId = id("key");
    const cells: Cells = new Map();
    const minute = Date.parse("2026-11-11T08:30:00Z");
    for (let i = 0; i < 9; i++) countRequest(cells, keyId, projectId, ENDPOINTS[i % 2], minute, STATUSES[i % STATUSES.length], i, i % 4);
    const journalKey = id("journal");
    const [first, second] = await Promise.all([
      writeUsageOnce(database.db, [{ journalKey, cells }]),
      writeUsageOnce(database.db, [{ journalKey, cells }]),
    ]);
    expect(first.size + second.size).toBe(1);
    await writeUsageOnce(database.db, [{ journalKey, cells }]);
    const s = await sums([projectId]);
    expect(s.keyTotals).toEqual(s.keyFromRollups);
    expect(s.projectRollups).toEqual(s.projectFromRollups);
    expect(s.keyTotals.map((r) => JSON.parse(r).total)).toEqual([9, 9, 9]);
  });
});
