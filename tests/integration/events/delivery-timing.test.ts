// Delivery timing with the events worker running as the app runs it (its own loop, real timers), on a database of
// this file's own: a due delivery waits for nothing but its own endpoint's cap. The first test reproduces issue 28's
// late key.leaked: an endpoint that failed once (500) and whose retry then hangs held every other endpoint's new
// events behind it, because a worker pass awaited its whole batch (up to the 10 s timeout) before it fanned out or
// claimed anything new.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { webhookDeliveries } from "../../../lib/db/schema";
import { startEventsWorker, type EventsWorker } from "../../../lib/events/events-worker";
import { reportLeakedSecret } from "../../../lib/leaks/report-leaked-secret";
import { createWebhook } from "../../../lib/webhooks/create-webhook";
import { CONNECTIONS_PER_ENDPOINT, postWebhook } from "../../../lib/webhooks/post-webhook";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";
import { createOwner, issueKey, type Owner } from "../keys/fixtures";
import { startReceiver, type Receiver } from "./receiver";

let url: string;
let database: Database;
let receiver: Receiver;
let worker: EventsWorker | null = null;
const db = () => database.db;
const APP = "http://portal.test";

/** A receiver that answers the first `fail` requests 500 at once and then never answers (until closed). */
async function startHangingReceiver(fail = 1) {
  const sockets = new Set<Socket>();
  const hanging: ServerResponse[] = [];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      requests++;
      if (requests <= fail) res.writeHead(500).end("down for a moment");
      else hanging.push(res);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
    get requests() {
      return requests;
    },
    get hanging() {
      return hanging.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function endpointFor(owner: Owner, target: string, events: string[] = ["*"]) {
  const { webhook, secret } = await createWebhook(db(), {
    projectId: owner.projectId,
    member: { user: { id: owner.id }, access: "session" },
    actor: { id: owner.id, email: owner.email },
    input: { url: target, events: events as ["*"], description: null },
    allowPrivate: true,
  });
  receiver.secrets.push(secret);
  return webhook;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  url = await createTestDatabase("events_timing");
  database = await openTestDatabase(url);
  receiver = await startReceiver();
});
afterEach(async () => {
  await worker?.stop();
  worker = null;
});
afterAll(async () => {
  await receiver?.close();
  await database?.close();
  if (url) await dropTestDatabase(url);
});

describe("delivery timing", () => {
  it("key.leaked arrives on time while another endpoint's retried delivery hangs for its whole timeout (issue 28)", async () => {
    const flaky = await startHangingReceiver(1);
    try {
      const a = await createOwner(db());
      const b = await createOwner(db());
      const aHook = await endpointFor(a, flaky.url);
      await endpointFor(b, receiver.url, ["key.leaked"]);
      worker = startEventsWorker({ db: async () => db(), allowPrivate: true, appUrl: APP });

      // A's first delivery fails once (500) and is scheduled for a retry…
      await issueKey(db(), a);
      const failed = await until("the failed first attempt", async () => {
        const [row] = await db().select().from(webhookDeliveries).where(and(eq(webhookDeliveries.endpointId, aHook.id), eq(webhookDeliveries.attempts, 1)));
        return row?.lastError === "HTTP 500" ? row : null;
      });
      // …which comes due now (instead of in 10 s), and this time the endpoint hangs.
      await db().update(webhookDeliveries).set({ nextAttemptAt: new Date() }).where(eq(webhookDeliveries.id, failed.id));
      await until("the retry to hang", async () => flaky.hanging >= 1);

      // Meanwhile B's key leaks: its announcement must not wait for A's 10 s timeout.
      const { key, secret } = await issueKey(db(), b);
      const started = Date.now();
      const outcome = await reportLeakedSecret(db(), { secret, url: "https://github.com/acme/app/blob/main/.env", source: "content" });
      expect(outcome.action).toBe("revoked");
      const got = await receiver.waitFor((r) => r.payload.type === "key.leaked" && (r.payload.data.key as { id: string }).id === key.id, 12_000);
      expect(got.at - started).toBeLessThan(2_000);
      // A is still hanging: B did not get through because A's attempt had ended.
      expect(flaky.hanging).toBeGreaterThanOrEqual(1);
    } finally {
      await flaky.close();
    }
  }, 30_000);

  it("deliveries to one endpoint reuse a keep-alive connection; every new connection is SSRF-checked", async () => {
    const ports: number[] = [];
    const server: Server = createServer((req, res) => {
      ports.push(req.socket.remotePort!);
      req.resume();
      req.on("end", () => res.writeHead(200).end("ok"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const post = () => postWebhook(`http://127.0.0.1:${port}/hook`, { headers: {}, body: "{}", allowPrivate: true, poolKey: "whk_reuse" });
      for (let i = 0; i < 10; i++) expect((await post()).ok).toBe(true);
      // Ten attempts, at most the pool's connections (without reuse: ten connections).
      expect(new Set(ports).size).toBeLessThanOrEqual(CONNECTIONS_PER_ENDPOINT);
      // The same pool key without the private allowance: the connect hook refuses loopback on every attempt.
      for (let i = 0; i < 2; i++) {
        const refused = await postWebhook(`https://localhost:${port}/hook`, { headers: {}, body: "{}", allowPrivate: false, poolKey: "whk_reuse" });
        expect(!refused.ok && refused.error).toMatch(/refused/);
      }
      expect(ports).toHaveLength(10);
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });
});
