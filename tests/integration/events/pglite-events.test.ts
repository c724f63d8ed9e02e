// The zero-configuration path keeps its events: on embedded PGlite (no separate listening connection) the NOTIFY
// sent at commit reaches the database's own LISTEN, so the worker is woken at once although it polls every 5 s, and
// the per-endpoint claim (lateral join, SKIP LOCKED, batched success writes with their attempt log) runs there as on
// PostgreSQL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase, type Database } from "../../../lib/db/client";
import { migrateDatabase } from "../../../lib/db/migrate";
import { webhookDeliveries, webhookDeliveryAttempts } from "../../../lib/db/schema";
import { embeddedWakeSource, startEventsWorker, SLOW_POLL_MS } from "../../../lib/events/events-worker";
import { revokeKey } from "../../../lib/keys/revoke-key";
import { createWebhook } from "../../../lib/webhooks/create-webhook";
import { createOwner, issueKey } from "../keys/fixtures";
import { startReceiver, type Receiver } from "./receiver";

const dataDir = mkdtempSync(path.join(tmpdir(), "keyport-pglite-events-"));
let database: Database;
let receiver: Receiver;

beforeAll(async () => {
  database = await openDatabase({ dataDir });
  await migrateDatabase(database);
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it("on PGlite a revocation is delivered at once by a worker that would otherwise wait for its 5 s poll", async () => {
  const db = database.db;
  const owner = await createOwner(db);
  const { webhook, secret } = await createWebhook(db, {
    projectId: owner.projectId,
    member: { user: { id: owner.id }, access: "session" },
    actor: { id: owner.id, email: owner.email },
    input: { url: receiver.url, events: ["key.revoked"], description: null },
    allowPrivate: true,
  });
  receiver.secrets.push(secret);
  const wakeSource = await embeddedWakeSource(database);
  expect(wakeSource?.live()).toBe(true);
  const worker = startEventsWorker({ db: async () => db, allowPrivate: true, appUrl: "http://portal.test", wakeSource: wakeSource! });
  try {
    const { key } = await issueKey(db, owner);
    // Past the worker's first pass, so only a wake-up (or the 5 s poll) can pick the revocation up.
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await revokeKey(db, { keyId: key.id, member: { user: { id: owner.id }, access: "session" }, actor: { id: owner.id, email: owner.email } });
    const got = await receiver.waitFor((r) => r.payload.type === "key.revoked" && (r.payload.data.key as { id: string }).id === key.id, SLOW_POLL_MS + 3_000);
    expect(got.at - started).toBeLessThan(SLOW_POLL_MS / 2);
    await new Promise((r) => setTimeout(r, 200));
    const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, webhook.id));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([["succeeded", 1]]);
    // The batched success wrote the attempt's log row in the same statement, on PGlite too.
    const attempts = await db.select().from(webhookDeliveryAttempts).where(eq(webhookDeliveryAttempts.deliveryId, rows[0].id));
    expect(attempts.map((a) => [a.attempt, a.responseStatus, a.responseBody])).toEqual([[1, 200, '{"ok":true}']]);
  } finally {
    await worker.stop();
  }
}, 60_000);
