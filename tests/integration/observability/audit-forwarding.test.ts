// Audit events forwarded as webhooks (`audit.event`) through the events outbox: an endpoint that lists the type gets
// every audit event of its project, signed like any delivery; "*" endpoints never get it; a project without such an
// endpoint writes no audit.event rows at all. The file has its own database: another file's instances on the shared
// one (without WEBHOOK_ALLOW_PRIVATE) would claim these loopback deliveries and refuse them.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { events } from "../../../lib/db/schema";
import { manage } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";
import { startReceiver, type Receiver } from "../events/receiver";
import { createDeveloper, type Developer } from "../ratelimit/fixtures";

let app: AppServer;
let database: Database;
let receiver: Receiver;
let dev: Developer;
let dbUrl: string | undefined;

async function webhook(owner: Developer, path: string, subscribe: string[]) {
  const res = await manage(app.url, { token: owner.token }, "POST", `/projects/${owner.projectId}/webhooks`, { url: `${receiver.url}${path}`, events: subscribe });
  expect(res.status).toBe(201);
  const { secret } = (await res.json()) as { secret: string };
  receiver.secrets.push(secret);
}

beforeAll(async () => {
  receiver = await startReceiver();
  dbUrl = await createTestDatabase("audit_forwarding");
  app = await startAppServer({ databaseUrl: dbUrl, redisPrefix: `${inject("redisPrefix")}:audit-forwarding`, env: { WEBHOOK_ALLOW_PRIVATE: "true" } });
  database = await openTestDatabase(dbUrl);
  dev = await createDeveloper(app.url);
});

afterAll(async () => {
  await app?.stop();
  await receiver?.close();
  await database?.close();
  if (dbUrl) await dropTestDatabase(dbUrl);
});

describe("audit.event webhooks", () => {
  it("refuses a misspelt type (422), so a SIEM endpoint cannot silently subscribe to nothing", async () => {
    const res = await manage(app.url, { token: dev.token }, "POST", `/projects/${dev.projectId}/webhooks`, { url: `${receiver.url}/x`, events: ["audit.evnt"] });
    expect(res.status).toBe(422);
  });

  it("delivers the project's audit events to endpoints that list audit.event, never to * endpoints", async () => {
    await webhook(dev, "/siem", ["audit.event"]);
    await webhook(dev, "/all", ["*"]);
    const created = await manage(app.url, { token: dev.token }, "POST", `/projects/${dev.projectId}/keys`, { name: "forwarded", scopes: [] });
    expect(created.status).toBe(201);
    const keyId = ((await created.json()) as { key: { id: string } }).key.id;
    const forwarded = await receiver.waitFor(

      (r) => r.path.endsWith("/siem") && r.payload.type === "audit.event" && (r.payload.data.event as { action: string }).action === "key.create",
      // On a busy machine the endpoint's lane may still be working through the earlier audit events.
      40_000,
    );
    expect(forwarded.verified.length).toBeGreaterThan(0);
    expect(forwarded.payload.data.event).toMatchObject({ action: "key.create", projectId: dev.projectId, target: { type: "key", id: keyId } });
    // The * endpoint got the key.created event, and no audit.event.
    await receiver.waitFor((r) => r.path.endsWith("/all") && r.payload.type === "key.created", 15_000);
    expect(receiver.received.filter((r) => r.path.endsWith("/all") && r.payload.type === "audit.event")).toEqual([]);
    // Only the audit.event endpoint got audit events, and never another type.
    expect(receiver.received.filter((r) => r.path.endsWith("/siem") && r.payload.type !== "audit.event")).toEqual([]);
  });

  it("writes no audit.event rows for a project without a subscribed endpoint", async () => {
    const other = await createDeveloper(app.url);
    await manage(app.url, { token: other.token }, "POST", `/projects/${other.projectId}/keys`, { name: "not forwarded", scopes: [] });
    const rows = await database.db.select({ id: events.id }).from(events).where(and(eq(events.projectId, other.projectId), eq(events.type, "audit.event")));
    expect(rows).toEqual([]);
  });
});
