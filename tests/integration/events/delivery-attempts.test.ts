// The per-attempt delivery log: what each attempt sent and what came back, at the domain level on a database of this
// file's own (both ways an outcome is written: one by one, and the worker's batches of successes), and through the
// real server's GET …/deliveries/{deliveryId} on another database (its own delivery worker sends there).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { teamMembers, webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from "../../../lib/db/schema";
import { signalWork } from "../../../lib/events/work-signal";
import { attemptRow, deliverDueWebhooks, recordSuccesses } from "../../../lib/webhooks/deliver-webhooks";
import { startDeliveryWorker } from "../../../lib/webhooks/delivery-worker";
import { createWebhook } from "../../../lib/webhooks/create-webhook";
import { MAX_BODY_BYTES, MAX_HEADER_CHARS, MAX_HEADERS } from "../../../lib/webhooks/excerpt";
import { getDelivery } from "../../../lib/webhooks/get-delivery";
import { sendTestEvent } from "../../../lib/webhooks/send-test-event";
import { createUserWithToken, manage, signIn, signUpUser, verifyEmailOf, type ManageAuth } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";
import { createOwner, type Owner } from "../keys/fixtures";

const APP = "http://portal.test";
const member = (o: { id: string }) => ({ user: { id: o.id }, access: "session" as const });

/** 10 KiB of three-byte characters: 4 KiB is not a character boundary, so the cut must step back. */
const BIG_BODY = "€".repeat(3414);
// 60 headers, about 10 KiB: over both caps, under the 16 KiB a client accepts at all.
const MANY_HEADERS = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`x-filler-${i}`, "f".repeat(150)]));

type Responder = (req: IncomingMessage, res: ServerResponse) => void;
/** A receiver that answers each request with the next responder (the last one repeats) and keeps the bodies. */
async function scriptedReceiver(...script: Responder[]) {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      bodies.push(body);
      (script[Math.min(bodies.length - 1, script.length - 1)])(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
const fail500: Responder = (_req, res) => res.writeHead(500, { "content-type": "text/plain; charset=utf-8", ...MANY_HEADERS }).end(BIG_BODY);
const ok200: Responder = (_req, res) => res.writeHead(200, { "content-type": "application/json", "x-receiver": "yes" }).end('{"ok":true}');

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("attempt log (domain)", () => {
  let url: string;
  let database: Database;
  const db = () => database.db;

  beforeAll(async () => {
    url = await createTestDatabase("attempts");
    database = await openTestDatabase(url);
  });
  afterAll(async () => {
    await database?.close();
    if (url) await dropTestDatabase(url);
  });

  async function endpointFor(owner: Owner, target: string) {
    const { webhook } = await createWebhook(db(), { projectId: owner.projectId, member: member(owner), actor: null, input: { url: target, events: ["*"], description: null }, allowPrivate: true });
    return webhook;
  }
  const attemptsOf = (deliveryId: string) => db().select().from(webhookDeliveryAttempts).where(eq(webhookDeliveryAttempts.deliveryId, deliveryId)).orderBy(webhookDeliveryAttempts.attempt);
  const pass = (now: Date) => deliverDueWebhooks(db(), { allowPrivate: true, appUrl: APP, now: () => now });

  it("a 500 with a 10 KiB body and then a 200 make two attempts: statuses, the 4 KiB cut on a character boundary, capped headers", async () => {
    const receiver = await scriptedReceiver(fail500, ok200);
    try {
      const owner = await createOwner(db());
      const webhook = await endpointFor(owner, receiver.url);
      const delivery = await sendTestEvent(db(), { webhookId: webhook.id, member: member(owner) });
      const t0 = new Date();
      expect(await pass(t0)).toBe(1);
      expect(await pass(new Date(t0.getTime() + 13_000))).toBe(1);

      const rows = await attemptsOf(delivery.id);
      expect(rows.map((r) => [r.attempt, r.responseStatus, r.error])).toEqual([
        [1, 500, "HTTP 500"],
        [2, 200, null],
      ]);
      const [first, second] = rows;
      // The body: 4095 bytes (1365 whole characters), not 4096, and marked as cut.
      expect(first.responseBodyEncoding).toBe("utf8");
      expect(first.responseBody).toBe("€".repeat(1365));
      expect(Buffer.byteLength(first.responseBody!)).toBeLessThanOrEqual(MAX_BODY_BYTES);
      expect(first.responseBodyTruncated).toBe(true);
      // 60 filler headers of 150 characters: cut to the caps.
      expect(first.responseHeaders!.length).toBeLessThanOrEqual(MAX_HEADERS);
      expect(first.responseHeaders!.reduce((n, h) => n + h.name.length + h.value.length, 0)).toBeLessThanOrEqual(MAX_HEADER_CHARS);
      expect(first.responseHeaders!.slice(0, 1)).toEqual([{ name: "content-type", value: "text/plain; charset=utf-8" }]);
      expect(first.responseHeadersTruncated).toBe(true);
      expect(first.durationMs).toBeGreaterThanOrEqual(0);
      expect(first.url).toBe(receiver.url);

      expect(second).toMatchObject({ responseBody: '{"ok":true}', responseBodyEncoding: "utf8", responseBodyTruncated: false, responseHeadersTruncated: false });
      expect(second.responseHeaders).toContainEqual({ name: "x-receiver", value: "yes" });
      // The request: the Standard Webhooks headers (the signature is public by nature), no secret, the payload not copied.
      const sent = Object.fromEntries(second.requestHeaders!.map((h) => [h.name, h.value]));
      expect(Object.keys(sent).sort()).toEqual(["content-length", "content-type", "user-agent", "webhook-id", "webhook-signature", "webhook-timestamp"]);
      expect(sent["webhook-id"]).toBe(delivery.eventId);
      expect(sent["webhook-signature"]).toMatch(/^v1,/);
      expect(JSON.stringify(rows)).not.toContain("whsec_");
      expect(rows.map((r) => r.requestBody)).toEqual([null, null]);

      // What the API shows: the request body is the payload that was really sent.
      const detail = await getDelivery(db(), { webhookId: webhook.id, deliveryId: delivery.id, member: member(owner) });
      expect(detail.delivery).toMatchObject({ id: delivery.id, status: "succeeded", attempts: 2, responseStatus: 200 });
      expect(detail.attempts.map((a) => a.request?.body)).toEqual(receiver.bodies);
      expect(detail.attempts[0].response).toMatchObject({ status: 500, bodyEncoding: "utf8", bodyTruncated: true, headersTruncated: true });
    } finally {
      await receiver.close();
    }
  });

  it("a network error is an attempt with the error and no response; a disabled endpoint's is one that sent nothing", async () => {
    const owner = await createOwner(db());
    const target = `http://127.0.0.1:${await closedPort()}/hook`;
    const webhook = await endpointFor(owner, target);
    const delivery = await sendTestEvent(db(), { webhookId: webhook.id, member: member(owner) });
    await pass(new Date());
    const [refused] = await attemptsOf(delivery.id);
    expect(refused).toMatchObject({ attempt: 1, url: target, responseStatus: null, responseHeaders: null, responseBody: null });
    expect(refused.error).toMatch(/ECONNREFUSED|connect/i);
    expect(refused.requestHeaders!.map((h) => h.name)).toContain("webhook-signature");
    const [row] = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, delivery.id));
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: refused.error });

    const detail = await getDelivery(db(), { webhookId: webhook.id, deliveryId: delivery.id, member: member(owner) });
    expect(detail.attempts[0]).toMatchObject({ attempt: 1, response: null, error: refused.error, request: { method: "POST" } });

    // The endpoint deleted between claim and send: the attempt sent nothing and says why.
    await db().update(webhookEndpoints).set({ deletedAt: new Date() }).where(eq(webhookEndpoints.id, webhook.id));
    await db().update(webhookDeliveries).set({ nextAttemptAt: new Date() }).where(eq(webhookDeliveries.id, delivery.id));
    await pass(new Date());
    const [, gone] = await attemptsOf(delivery.id);
    expect(gone).toMatchObject({ attempt: 2, requestHeaders: null, responseStatus: null, responseHeaders: null, error: "endpoint deleted", durationMs: 0 });
  });

  it("a binary answer with NUL bytes is kept as base64 (and the outcome is still written)", async () => {
    const bytes = Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x00, 0x42]);
    const receiver = await scriptedReceiver((_req, res) => res.writeHead(200, { "content-type": "application/octet-stream" }).end(bytes));
    try {
      const owner = await createOwner(db());
      const webhook = await endpointFor(owner, receiver.url);
      const delivery = await sendTestEvent(db(), { webhookId: webhook.id, member: member(owner) });
      await pass(new Date());
      const [row] = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, delivery.id));
      expect(row).toMatchObject({ status: "succeeded", responseStatus: 200, responseExcerpt: "(binary, 6 bytes)" });
      const [attempt] = await attemptsOf(delivery.id);
      expect(attempt).toMatchObject({ responseBodyEncoding: "base64", responseBody: bytes.toString("base64"), responseBodyTruncated: false });
    } finally {
      await receiver.close();
    }
  });

  it("the worker's batched successes log their attempts in the same statement, once even if a batch is written again", async () => {
    const receiver = await scriptedReceiver(ok200);
    const worker = startDeliveryWorker({ db: async () => db(), allowPrivate: true, appUrl: APP, pollMs: () => 50 });
    try {
      const owner = await createOwner(db());
      const webhook = await endpointFor(owner, receiver.url);
      const delivery = await sendTestEvent(db(), { webhookId: webhook.id, member: member(owner) });
      worker.wake();
      await expect.poll(async () => (await attemptsOf(delivery.id)).length, { timeout: 10_000 }).toBe(1);
      const [row] = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, delivery.id));
      expect(row.status).toBe("succeeded");
      const [attempt] = await attemptsOf(delivery.id);
      expect(attempt).toMatchObject({ attempt: 1, responseStatus: 200, responseBody: '{"ok":true}', error: null });
      expect(attempt.responseHeaders).toContainEqual({ name: "x-receiver", value: "yes" });

      // The same success written again (its answer lost, the batch retried): no error, still one row.
      const again = attemptRow({ id: delivery.id, attempts: 1 }, receiver.url, {
        ok: true,
        status: 200,
        excerpt: "again",
        capture: { startedAt: new Date(), durationMs: 1, requestHeaders: [], responseHeaders: null, responseBody: null },
      });
      await recordSuccesses(db(), [{ id: delivery.id, endpointId: webhook.id, status: 200, excerpt: "again", at: new Date(), attempt: again }]);
      expect(await attemptsOf(delivery.id)).toHaveLength(1);
      expect((await attemptsOf(delivery.id))[0].responseBody).toBe('{"ok":true}');
    } finally {
      await worker.stop();
      await receiver.close();
    }
  });
});

describe("GET /webhooks/{webhookId}/deliveries/{deliveryId}", () => {
  let dbUrl: string;
  let database: Database;
  let app: AppServer;
  let owner: { auth: ManageAuth; teamId: string; projectId: string };
  let stranger: ManageAuth;
  let receiver: Awaited<ReturnType<typeof scriptedReceiver>>;

  beforeAll(async () => {
    dbUrl = await createTestDatabase("attempts_http");
    database = await openTestDatabase(dbUrl);
    receiver = await scriptedReceiver(fail500, ok200);
    app = await startAppServer({ databaseUrl: dbUrl, redisPrefix: `${inject("redisPrefix")}:attempts`, env: { WEBHOOK_ALLOW_PRIVATE: "true" } });
    const account = await createUserWithToken(app.url);
    const res = await manage(app.url, { token: account.token }, "POST", "/projects", { name: "Attempts" });
    const { project } = (await res.json()) as { project: { id: string; teamId: string } };
    owner = { auth: { token: account.token }, teamId: project.teamId, projectId: project.id };
    stranger = { token: (await createUserWithToken(app.url)).token };
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
    await database?.close();
    if (dbUrl) await dropTestDatabase(dbUrl);
  });

  async function memberWithRole(role: "viewer" | "developer"): Promise<ManageAuth> {
    const account = await signUpUser(app.url);
    await verifyEmailOf(app.url, dbUrl, account.email);
    await database.db.insert(teamMembers).values({ teamId: owner.teamId, userId: account.user.id, role });
    return { cookie: await signIn(app.url, account.email, account.password) };
  }

  async function addEndpoint(url: string): Promise<string> {
    const res = await manage(app.url, owner.auth, "POST", `/projects/${owner.projectId}/webhooks`, { url });
    expect(res.status).toBe(201);
    return ((await res.json()) as { webhook: { id: string } }).webhook.id;
  }

  const detail = (auth: ManageAuth, webhookId: string, deliveryId: string) => manage(app.url, auth, "GET", `/webhooks/${webhookId}/deliveries/${deliveryId}`);

  it("lists the attempts of a delivery to the team (viewers too), and is a 404 to everyone else", async () => {
    const webhookId = await addEndpoint(receiver.url);
    const test = await manage(app.url, owner.auth, "POST", `/webhooks/${webhookId}/test`);
    const { delivery } = (await test.json()) as { delivery: { id: string } };
    // The first attempt (500) is logged by the server's worker; bring its retry forward instead of waiting 10 s.
    await expect.poll(async () => (await database.db.select().from(webhookDeliveryAttempts).where(eq(webhookDeliveryAttempts.deliveryId, delivery.id))).length, { timeout: 10_000 }).toBe(1);
    await database.db.transaction(async (tx) => {
      await tx.update(webhookDeliveries).set({ nextAttemptAt: new Date() }).where(eq(webhookDeliveries.id, delivery.id));
      await signalWork(tx, "deliveries");
    });
    type Detail = { delivery: { id: string; status: string }; attempts: { attempt: number; request: { headers: { name: string }[]; body: string }; response: { status: number; body: string; bodyTruncated: boolean; headersTruncated: boolean } }[] };
    let body: Detail = { delivery: { id: "", status: "" }, attempts: [] };
    await expect
      .poll(async () => {
        body = (await (await detail(owner.auth, webhookId, delivery.id)).json()) as Detail;
        return body.delivery.status;
      }, { timeout: 15_000 })
      .toBe("succeeded");
    expect(body.attempts.map((a) => [a.attempt, a.response.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    expect(Buffer.byteLength(body.attempts[0].response.body)).toBe(4095);
    expect(body.attempts[0].response).toMatchObject({ bodyTruncated: true, headersTruncated: true });
    expect(body.attempts[1].request.body).toBe(receiver.bodies[1]);
    expect(body.attempts[1].request.headers.map((h) => h.name)).toContain("webhook-signature");

    const viewer = await memberWithRole("viewer");
    expect((await detail(viewer, webhookId, delivery.id)).status).toBe(200);
    const developer = await memberWithRole("developer");
    expect((await detail(developer, webhookId, delivery.id)).status).toBe(200);
    // Another team's user: the same 404 as a missing webhook, with nothing of the delivery in it.
    const foreign = await detail(stranger, webhookId, delivery.id);
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain(delivery.id);
    expect((await fetch(`${app.url}/api/manage/v1/webhooks/${webhookId}/deliveries/${delivery.id}`)).status).toBe(401);
    // Only GET.
    expect((await manage(app.url, owner.auth, "DELETE", `/webhooks/${webhookId}/deliveries/${delivery.id}`)).status).toBe(405);

    // A delivery of another endpoint (same team) is not reachable through this one.
    const otherId = await addEndpoint(`${receiver.url}/other`);
    expect((await detail(owner.auth, otherId, delivery.id)).status).toBe(404);
  }, 60_000);

  it("odd ids (missing, very long, badly encoded) are a 4xx, never a server error", async () => {
    const webhookId = await addEndpoint(`${receiver.url}/odd`);
    expect((await detail(owner.auth, webhookId, "dlv_missing")).status).toBe(404);
    for (const odd of ["x".repeat(5000), "%FF%FE", "dlv_%E2%80%AE", "%00"]) {
      const res = await detail(owner.auth, webhookId, odd);
      expect(res.status, odd.slice(0, 12)).toBeGreaterThanOrEqual(400);
      expect(res.status, odd.slice(0, 12)).toBeLessThan(500);
    }
    for (const odd of ["x".repeat(5000), "%FF%FE"]) expect((await detail(owner.auth, odd, "dlv_missing")).status).toBeLessThan(500);
  });
});
