// UNAUTHENTICATED_PER_MINUTE (CONTRACT part two, OWASP API4): /api/v1 requests without a valid key beyond the limit
// from one client IP answer 429 rate_limited, shared by instances (Redis) and charged to no key; a valid key from
// the same address is not affected.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { usageRollups } from "../../../lib/db/schema";
import { generateApiKeySecret } from "../../../lib/keys/secret";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase, uniqueSuffix } from "../../support/databases";
import { awayFromMinuteEdge, call, createDeveloper, createTestKey, createTier, setKeyTier, type TestKey } from "../ratelimit/fixtures";

let a: AppServer;
let b: AppServer;
let database: Database;
let key: TestKey;

beforeAll(async () => {
  // Its own Redis prefix: the per-IP count is shared by every instance of a deployment, and only these two here.
  const base = { databaseUrl: inject("databaseUrl"), redisPrefix: `keyport-test:unauth-${uniqueSuffix()}`, env: { UNAUTHENTICATED_PER_MINUTE: "20" } };
  [a, b] = await Promise.all([startAppServer(base), startAppServer(base)]);
  database = await openTestDatabase(inject("databaseUrl"));
  key = await createTestKey(a.url, await createDeveloper(a.url));
  await setKeyTier(database.db, key.id, await createTier(database.db, {}));
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.close();
});

describe("unauthenticated requests per IP", () => {
  it("answers 429 beyond the limit across instances, charges no key, and lets a valid key through", async () => {
    await awayFromMinuteEdge(10);
    const unknown = generateApiKeySecret("kp", "live").secret;
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const app = i % 2 === 0 ? a : b;
      const res = i % 3 === 0 ? await fetch(`${app.url}/api/v1/ping`) : await call(app.url, i % 3 === 1 ? unknown : "kp_live_nonsense", "/api/v1/ping");
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
        expect(((await res.json()) as { code: string }).code).toBe("rate_limited");
      } else await res.arrayBuffer();
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    // Each instance saw only half: the shared count decides.
    expect(statuses.slice(20)).toEqual(Array(10).fill(429));

    const valid = await call(b.url, key.secret, "/api/v1/ping");
    expect(valid.status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_500));
    const [row] = await database.db
      .select({ total: sql<number>`coalesce(sum(${usageRollups.total}), 0)::int` })
      .from(usageRollups)
      .where(and(eq(usageRollups.keyId, key.id), eq(usageRollups.granularity, "minute")));
    expect(row.total).toBe(1);
  });
});
