// Webhook deliveries on the cluster's clock (CONTRACT §18): two instances whose clocks are 90 s ahead and 90 s behind
// PostgreSQL's fan out and deliver events to an endpoint that takes 3 s to answer. Each event arrives exactly once:
// a lease taken by the instance behind must not look expired to the one ahead while its attempt is still in flight,
// and a delivery row fanned out by the instance ahead must not be dated (and so held back) 90 s into the future.
import { createServer, type Server } from "node:http";
import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { webhookDeliveries } from "../../../lib/db/schema";
import { createUserWithToken, manage, type ManageAuth } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";

const SKEW_MS = 90_000;
const ANSWER_AFTER_MS = 3_000;
let dbUrl: string;
let database: Database;
let ahead: AppServer;
let behind: AppServer;
let receiver: Server;
let receiverUrl: string;
const arrivals: { id: string; keyId: string }[] = [];
let auth: ManageAuth;
let projectId: string;

const skewedBy = (offsetMs: number) => ({ WEBHOOK_ALLOW_PRIVATE: "true", KEYPORT_TEST_HOOKS: "1", KEYPORT_TEST_CLOCK_OFFSET_MS: String(offsetMs) });

beforeAll(async () => {
  dbUrl = await createTestDatabase("events_skewed");
  database = await openTestDatabase(dbUrl);
  // A receiver that answers 200 after 3 s and records every arrival, duplicates included.
  receiver = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const payload = JSON.parse(body) as { data: { key: { id: string } } };
      arrivals.push({ id: String(req.headers["webhook-id"]), keyId: payload.data.key.id });
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'), ANSWER_AFTER_MS);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  const redisPrefix = `${inject("redisPrefix")}:skewed-delivery`;
  [ahead, behind] = await Promise.all([
    startAppServer({ databaseUrl: dbUrl, redisPrefix, env: skewedBy(SKEW_MS) }),
    startAppServer({ databaseUrl: dbUrl, redisPrefix, env: skewedBy(-SKEW_MS) }),
  ]);
  const account = await createUserWithToken(ahead.url);
  auth = { token: account.token };
  const res = await manage(ahead.url, auth, "POST", "/projects", { name: "Skewed deliveries" });
  projectId = ((await res.json()) as { project: { id: string } }).project.id;
}, 180_000);

afterAll(async () => {
  await Promise.all([ahead?.stop(), behind?.stop()]);
  await new Promise((resolve) => receiver?.close(resolve));
  await database?.close();
  if (dbUrl) await dropTestDatabase(dbUrl);
});

/** Waits until the instance has measured its clock against PostgreSQL's (its /api/ready says how far off it is). */
async function measured(server: AppServer): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const body = (await (await fetch(`${server.url}/api/ready`)).json()) as { warnings?: string[] };
    if ((body.warnings ?? []).some((w) => /clock is (8\d|9\d)\.\d s (ahead of|behind) PostgreSQL's/.test(w))) return;
    if (Date.now() > deadline) throw new Error(`${server.url} never measured its clock: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("webhook deliveries from instances whose clocks are 90 s apart", () => {
  it("deliver every event once, promptly, with rows dated on PostgreSQL's clock", async () => {
    await Promise.all([measured(ahead), measured(behind)]);
    const hook = await manage(ahead.url, auth, "POST", `/projects/${projectId}/webhooks`, { url: receiverUrl, events: ["key.created"] });
    expect(hook.status).toBe(201);

    const keyIds: string[] = [];
    for (const server of [ahead, behind, ahead, behind, ahead, behind, ahead, behind]) {
      const res = await manage(server.url, auth, "POST", `/projects/${projectId}/keys`, { name: "k", scopes: [] });
      expect(res.status).toBe(201);
      keyIds.push(((await res.json()) as { key: { id: string } }).key.id);
    }
    // Every event arrives within a few seconds (not after 90), ...
    const deadline = Date.now() + 30_000;
    while (new Set(arrivals.map((a) => a.keyId)).size < keyIds.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(new Set(arrivals.map((a) => a.keyId))).toEqual(new Set(keyIds));
    // ... and none a second time while its first attempt was still being answered, or after.
    await new Promise((r) => setTimeout(r, 2 * ANSWER_AFTER_MS + 2_000));
    expect(arrivals.map((a) => a.keyId).sort()).toEqual([...keyIds].sort());

    // webhook-id is the event's id: one delivery row per event, attempted once.
    const eventIds = arrivals.map((a) => a.id);
    const rows = await database.db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.eventId, eventIds));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(eventIds.map(() => ["succeeded", 1]));
    // Fanned out and completed on PostgreSQL's clock: nothing dated 90 s off.
    const [{ now }] = ((await database.db.execute(sql`select extract(epoch from now()) * 1000 as now`)) as unknown as { rows: { now: string }[] }).rows;
    for (const row of rows) {
      expect(Math.abs(Number(now) - row.createdAt.getTime())).toBeLessThan(60_000);
      expect(Math.abs(Number(now) - row.completedAt!.getTime())).toBeLessThan(60_000);
    }
  }, 120_000);
});
