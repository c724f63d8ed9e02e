// Metering survives a clean shutdown: everything answered before SIGTERM is in usage_rollups afterwards.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { usageRollups } from "../../../lib/db/schema";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";
import { call, createDeveloper, createTestKey, createTier, setKeyTier } from "./fixtures";

let app: AppServer;
let database: Database;

beforeAll(async () => {
  app = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") });
  database = await openTestDatabase(inject("databaseUrl"));
});

afterAll(async () => {
  await app?.stop();
  await database?.close();
});

const totals = async (keyId: string, granularity: "minute" | "hour" | "day") => {
  const [row] = await database.db
    .select({ total: sql<number>`coalesce(sum(${usageRollups.total}), 0)::int` })
    .from(usageRollups)
    .where(and(eq(usageRollups.keyId, keyId), eq(usageRollups.granularity, granularity)));
  return row;
};

describe("usage flush on SIGTERM", () => {
  it("loses nothing answered before the signal, and writes minute, hour and day rows alike", async () => {
    const dev = await createDeveloper(app.url);
    const key = await createTestKey(app.url, dev, ["products:read"]);
    await setKeyTier(database.db, key.id, await createTier(database.db, {}));
    let answered = 0;
    for (let i = 0; i < 40; i++) {
      const res = await call(app.url, key.secret, i % 4 === 0 ? "/api/v1/products/NOPE" : "/api/v1/ping");
      await res.arrayBuffer();
      answered++;
    }
    await app.stop("SIGTERM");
    expect(app.process.exitCode).toBe(0);
    for (const g of ["minute", "hour", "day"] as const) expect((await totals(key.id, g)).total).toBe(answered);
    const days = await database.db.select().from(usageRollups).where(and(eq(usageRollups.keyId, key.id), eq(usageRollups.granularity, "day")));
    const counted = days.flatMap((d) => d.latencyHistogram).reduce((s, n) => s + n, 0);
    expect(counted).toBe(answered);
    expect(days.reduce((s, d) => s + d.clientErrors, 0)).toBe(10);
  });
});
