// GET /metrics (CONTRACT §16): guarded by METRICS_TOKEN, Prometheus text, the §16 families with bounded labels, and the
// numbers move when the app does (a metered call, a key lookup, a limit decision, an outbox row).
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { mailOutbox } from "../../../lib/db/schema";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";
import { call, createDeveloper, createTestKey, type TestKey } from "../ratelimit/fixtures";

const TOKEN = `metrics-${randomBytes(12).toString("hex")}`;
let app: AppServer;
let unset: AppServer;
let database: Database;
let key: TestKey;

beforeAll(async () => {
  const base = { databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") };
  [app, unset] = await Promise.all([startAppServer({ ...base, env: { METRICS_TOKEN: TOKEN } }), startAppServer(base)]);
  database = await openTestDatabase(inject("databaseUrl"));
  key = await createTestKey(app.url, await createDeveloper(app.url), ["products:read"]);
});

afterAll(async () => {
  await Promise.all([app?.stop(), unset?.stop()]);
  await database?.close();
});

const scrape = async (auth: string | null = `Bearer ${TOKEN}`, base = app.url) =>
  fetch(`${base}/metrics`, { headers: auth === null ? {} : { Authorization: auth } });

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe("GET /metrics", () => {
  it("is 404 when METRICS_TOKEN is unset, whatever is sent", async () => {
    expect((await scrape(null, unset.url)).status).toBe(404);
    expect((await scrape(`Bearer ${TOKEN}`, unset.url)).status).toBe(404);
  });

  it("is 401 without the token, with a wrong one, or with another scheme", async () => {
    for (const auth of [null, "Bearer wrong", `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, "Bearer"]) {
      const res = await scrape(auth);
      expect(res.status, String(auth)).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
      expect(await res.text()).not.toContain("keyport_");
    }
  });

  it("serves the §16 families in Prometheus text format, with process defaults", async () => {
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const family of [
      "keyport_http_requests_total",
      "keyport_http_request_duration_seconds",
      "keyport_gateway_upstream_duration_seconds",
      "keyport_limit_decisions_total",
      "keyport_key_cache_lookups_total",
      "keyport_redis_breaker_open",
      "keyport_database_up",
      "keyport_usage_buffer_cells",
      "keyport_outbox_pending",
      "keyport_outbox_oldest_seconds",
      "keyport_limiter_duration_seconds",
      "keyport_webhook_attempts_total",
      "process_cpu_user_seconds_total",
      "nodejs_eventloop_lag_seconds",
    ]) {
      expect(text, family).toContain(`# TYPE ${family} `);
    }
    expect(sample(text, "keyport_database_up")).toBe(1);
    expect(sample(text, "keyport_redis_breaker_open")).toBe(0);
    for (const queue of ["mail", "events", "webhooks", "billing"]) expect(sample(text, "keyport_outbox_pending", { queue }), queue).toBeGreaterThanOrEqual(0);
  });

  it("counts metered requests by route template and status class, key lookups and limit decisions", async () => {
    const before = await (await scrape()).text();
    const okBefore = sample(before, "keyport_http_requests_total", { route: "/api/v1/ping", status_class: "2xx" }) ?? 0;
    const allowedBefore = sample(before, "keyport_limit_decisions_total", { outcome: "allowed" }) ?? 0;
    const lookupsBefore = (sample(before, "keyport_key_cache_lookups_total", { result: "hit" }) ?? 0) + (sample(before, "keyport_key_cache_lookups_total", { result: "miss" }) ?? 0);
    // Bodies are read to the end: a request is counted when its response has closed.
    for (let i = 0; i < 3; i++) {
      const res = await call(app.url, key.secret, "/api/v1/ping");
      await res.arrayBuffer();
      expect(res.status).toBe(200);
    }
    // A product id in the path: the label is the template, never the id.
    const sku = `SKU-${randomBytes(4).toString("hex")}`;
    await (await call(app.url, key.secret, `/api/v1/products/${sku}`)).arrayBuffer();
    const after = await (await scrape()).text();
    expect(sample(after, "keyport_http_requests_total", { route: "/api/v1/ping", status_class: "2xx" })).toBe(okBefore + 3);
    expect(sample(after, "keyport_limit_decisions_total", { outcome: "allowed" })).toBeGreaterThanOrEqual(allowedBefore + 4);
    const lookupsAfter = (sample(after, "keyport_key_cache_lookups_total", { result: "hit" }) ?? 0) + (sample(after, "keyport_key_cache_lookups_total", { result: "miss" }) ?? 0);
    expect(lookupsAfter).toBeGreaterThanOrEqual(lookupsBefore + 4);
    expect(after).toContain('route="/api/v1/products/[sku]"');
    expect(sample(after, "keyport_http_request_duration_seconds_count", { route: "/api/v1/ping" })).toBeGreaterThanOrEqual(3);
    expect(sample(after, "keyport_limiter_duration_seconds_count")).toBeGreaterThanOrEqual(4);
  });

  it("never labels with ids: no key, project, user or product id, no raw path of an unknown page", async () => {
    await (await fetch(`${app.url}/no-such-page-${randomBytes(4).toString("hex")}`)).arrayBuffer();
    const text = await (await scrape()).text();
    expect(text).not.toContain(key.id);
    expect(text).not.toContain(key.projectId);
    expect(text).not.toMatch(/route="[^"]*SKU-/);
    expect(text).not.toContain("no-such-page-");
    expect(text).toMatch(/route="unmatched"/);
  });

  it("reports an outbox's depth and the age of its most overdue row", async () => {
    // Due ten minutes ago, never sent: what a stuck mail worker leaves behind. The app's own mail worker may claim the
    // row in the moment between its insert and the lock below (its claim moves the due time): then try again.
    let oldest = 0;
    for (let attempt = 0; attempt < 5 && oldest < 590; attempt++) {
      const id = `mail_${randomBytes(8).toString("hex")}`;
      await database.db.insert(mailOutbox).values({
        id,
        to: "nobody@example.test",
        subject: "metrics test",
        text: "metrics test",
        kind: "metrics_test",
        status: "pending",
        nextAttemptAt: new Date(Date.now() - 600_000),
        attempts: 99,
      });
      // Held locked (the mail worker claims with SKIP LOCKED, so it leaves the row alone) while the scrape counts it.
      await database.db.transaction(async (tx) => {
        const [row] = ((await tx.execute(sql`select next_attempt_at from mail_outbox where id = ${id} for update`)) as unknown as { rows: { next_attempt_at: Date | string }[] }).rows;
        const stillDue = new Date(row.next_attempt_at).getTime() < Date.now() - 590_000;
        const text = await (await scrape()).text();
        expect(sample(text, "keyport_outbox_pending", { queue: "mail" })).toBeGreaterThanOrEqual(stillDue ? 1 : 0);
        if (stillDue) oldest = sample(text, "keyport_outbox_oldest_seconds", { queue: "mail" }) ?? 0;
        // Its own series (other files' billing tests share the database, so its value is theirs).
        expect(sample(text, "keyport_outbox_pending", { queue: "billing" })).toEqual(expect.any(Number));
        await tx.update(mailOutbox).set({ status: "failed" }).where(eq(mailOutbox.id, id));
      });
    }
    expect(oldest).toBeGreaterThanOrEqual(590);
  });
});
