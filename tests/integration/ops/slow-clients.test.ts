// Slow clients (CONTRACT §18): a request's headers must arrive within 15 s, and its body may be silent for 60 s at
// most; a slow body that keeps sending is served, and everyone else is served meanwhile.
import net from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { usageRollups } from "../../../lib/db/schema";
import { openTestDatabase } from "../../support/databases";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createDeveloper, createTestKey, type TestKey } from "../ratelimit/fixtures";

let server: AppServer;
let key: TestKey;
let database: Database;

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
  server = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") });
  key = await createTestKey(server.url, await createDeveloper(server.url));
});

afterAll(async () => {
  await server?.stop();
  await database?.close();
});

type Conn = { socket: net.Socket; received: () => string; closedAfter: Promise<number> };

function connect(): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let received = "";
    const socket = net.connect(server.port, "127.0.0.1", () =>
      resolve({ socket, received: () => received, closedAfter: new Promise((r) => socket.once("close", () => r(performance.now() - started))) }),
    );
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => (received += d));
    socket.on("error", () => {});
    socket.once("error", reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("slow clients", () => {
  it("cuts headers after 15 s and a silent body after 60 s, serves a slow body that keeps coming, and everyone else meanwhile", { timeout: 120_000 }, async () => {
    const body = JSON.stringify({ sku: `SLOW-${Date.now()}`, name: "Trickled", price: 100, currency: "USD" });
    const head = (length: number) =>
      `POST /api/v1/products HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key.secret}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

    // Headers trickled a byte every 2 s, never finished.
    const slowHeaders = await connect();
    slowHeaders.socket.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const dribble = setInterval(() => slowHeaders.socket.writable && slowHeaders.socket.write("X"), 2_000);
    // A body that stops after its first bytes.
    const silent = await connect();
    silent.socket.write(head(body.length) + body.slice(0, 10));
    // A body sent in three parts 30 s apart: slow, never silent for 60 s.
    const trickle = await connect();
    trickle.socket.write(head(body.length) + body.slice(0, 10));

    const headersCut = await slowHeaders.closedAfter;
    clearInterval(dribble);
    expect(headersCut).toBeGreaterThan(14_000);
    expect(headersCut).toBeLessThan(18_500);

    // Everyone else is served meanwhile.
    const res = await fetch(`${server.url}/api/v1/ping`, { headers: { Authorization: `Bearer ${key.secret}` } });
    expect(res.status).toBe(200);

    await sleep(30_000 - headersCut);
    trickle.socket.write(body.slice(10, 20));
    await sleep(30_000);
    trickle.socket.write(body.slice(20));

    const silentCut = await silent.closedAfter;
    expect(silentCut).toBeGreaterThan(59_000);
    expect(silentCut).toBeLessThan(63_500);
    expect(silent.received()).toBe("");

    // The slow one got its answer (the product was created), after more than 60 s in all.
    for (let i = 0; i < 100 && !trickle.received().includes("\r\n\r\n"); i++) await sleep(100);
    expect(trickle.received()).toMatch(/^HTTP\/1\.1 201 /);
    trickle.socket.destroy();

    // The cut-off body is metered to its key as a client error (400), never as a server error.
    const outcomes = async () => {
      const [row] = await database.db
        .select({ clientErrors: sql<number>`coalesce(sum(${usageRollups.clientErrors}), 0)::int`, serverErrors: sql<number>`coalesce(sum(${usageRollups.serverErrors}), 0)::int` })
        .from(usageRollups)
        .where(and(eq(usageRollups.keyId, key.id), eq(usageRollups.granularity, "minute"), eq(usageRollups.endpoint, "POST /api/v1/products")));
      return row;
    };
    await expect.poll(outcomes, { timeout: 10_000 }).toEqual({ clientErrors: 1, serverErrors: 0 });
  });
});
