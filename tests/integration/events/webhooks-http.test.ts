// Webhooks, notifications and leaked-key intake through the real production server: a database of this file's own,
// a loopback receiver that verifies every delivery with the standardwebhooks verifier, and a secret-scanning key
// pair generated here (the server reads its public half from SECRET_SCANNING_PUBLIC_KEYS).
import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { apiKeys, auditEvents, events, teamMembers } from "../../../lib/db/schema";
import { revokeKey } from "../../../lib/keys/revoke-key";
import { hashSecret } from "../../../lib/keys/secret";
import { createUserWithToken, manage, signUpUser, signIn, verifyEmailOf, type ManageAuth } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";
import { startReceiver, type Receiver } from "./receiver";

let dbUrl: string;
let database: Database;
let app: AppServer;
let receiver: Receiver;
let keysFile: string;
const scanning = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const otherKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const KEY_ID = "test-key-1";

type Owner = { auth: ManageAuth; userId: string; projectId: string; teamId: string };
let owner: Owner;
let stranger: ManageAuth;

const serverEnv = () => ({ WEBHOOK_ALLOW_PRIVATE: "true", SECRET_SCANNING_PUBLIC_KEYS: keysFile });

async function start() {
  app = await startAppServer({ databaseUrl: dbUrl, redisPrefix: `${inject("redisPrefix")}:events`, env: serverEnv() });
}

beforeAll(async () => {
  dbUrl = await createTestDatabase("events_http");
  database = await openTestDatabase(dbUrl);
  const dir = mkdtempSync(path.join(tmpdir(), "keyport-scanning-"));
  keysFile = path.join(dir, "keys.json");
  writeFileSync(
    keysFile,
    JSON.stringify({ public_keys: [{ key_identifier: KEY_ID, key: scanning.publicKey.export({ type: "spki", format: "pem" }), is_current: true }] }),
  );
  receiver = await startReceiver();
  await start();
  const account = await createUserWithToken(app.url);
  const res = await manage(app.url, { token: account.token }, "POST", "/projects", { name: "Events" });
  const { project } = (await res.json()) as { project: { id: string; teamId: string } };
  owner = { auth: { token: account.token }, userId: account.user.id, projectId: project.id, teamId: project.teamId };
  stranger = { token: (await createUserWithToken(app.url)).token };
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await receiver?.close();
  await database?.close();
  if (dbUrl) await dropTestDatabase(dbUrl);
});

let endpoints = 0;
/** Each endpoint gets its own path on the receiver, so a test can tell its deliveries from other endpoints'. */
async function addEndpoint(events: string[] = ["*"]) {
  const url = `${receiver.url}/${++endpoints}`;
  const res = await manage(app.url, owner.auth, "POST", `/projects/${owner.projectId}/webhooks`, { url, events });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { webhook: { id: string; url: string; events: string[]; enabled: boolean }; secret: string };
  receiver.secrets.push(body.secret);
  return { ...body, path: new URL(url).pathname };
}

async function newKey(): Promise<{ id: string; secret: string }> {
  const res = await manage(app.url, owner.auth, "POST", `/projects/${owner.projectId}/keys`, { name: "k", scopes: ["products:read"] });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { key: { id: string }; secret: string };
  return { id: body.key.id, secret: body.secret };
}

/** A member of the owner's team with this role, signed in through the real flow. */
async function memberWithRole(role: "viewer" | "developer"): Promise<ManageAuth> {
  const account = await signUpUser(app.url);
  // Verified, so the answer is about the role (an unverified account is refused webhooks before that, CONTRACT §17).
  await verifyEmailOf(app.url, dbUrl, account.email);
  await database.db.insert(teamMembers).values({ teamId: owner.teamId, userId: account.user.id, role });
  return { cookie: await signIn(app.url, account.email, account.password) };
}

function signed(body: string, key = scanning.privateKey, keyId = KEY_ID) {
  return {
    "Content-Type": "application/json",
    "Github-Public-Key-Identifier": keyId,
    "Github-Public-Key-Signature": sign("sha256", Buffer.from(body), { key, dsaEncoding: "der" }).toString("base64"),
  };
}

const report = (body: string, headers: Record<string, string>) => fetch(`${app.url}/api/secret-scanning/github`, { method: "POST", headers, body });

describe("webhook endpoints API", () => {
  it("creates an endpoint (secret once), sends a verified ping within 5 s, logs it, and redelivers with the same webhook-id", async () => {
    const { webhook, secret } = await addEndpoint();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(webhook).toMatchObject({ url: `${receiver.url}/${endpoints}`, events: ["*"], enabled: true });
    const listed = await (await manage(app.url, owner.auth, "GET", `/projects/${owner.projectId}/webhooks`)).json();
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed.webhooks.map((w: { id: string }) => w.id)).toContain(webhook.id);

    const sentAt = Date.now();
    const test = await manage(app.url, owner.auth, "POST", `/webhooks/${webhook.id}/test`);
    expect(test.status).toBe(202);
    const { delivery } = (await test.json()) as { delivery: { id: string; eventId: string } };
    const ping = await receiver.waitFor((r) => r.id === delivery.eventId, 5_000);
    expect(ping.payload.type).toBe("ping");
    expect(ping.at - sentAt).toBeLessThan(5_000);

    let log = { deliveries: [] as { id: string; status: string; attempts: number; responseStatus: number; type: string; eventId: string }[] };
    for (let i = 0; i < 20 && log.deliveries[0]?.status !== "succeeded"; i++) {
      log = await (await manage(app.url, owner.auth, "GET", `/webhooks/${webhook.id}/deliveries`)).json();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(log.deliveries[0]).toMatchObject({ id: delivery.id, type: "ping", status: "succeeded", attempts: 1, responseStatus: 200 });

    const again = await manage(app.url, owner.auth, "POST", `/webhooks/${webhook.id}/deliveries/${delivery.id}/redeliver`);
    expect(again.status).toBe(202);
    await expect.poll(() => receiver.received.filter((r) => r.id === delivery.eventId).length, { timeout: 5_000 }).toBe(2);
  });

  it("delivers key.revoked after a revocation, and rotated secrets both verify during the overlap", async () => {
    const { webhook, secret: first, path: at } = await addEndpoint(["key.revoked"]);
    const rotated = await manage(app.url, owner.auth, "POST", `/webhooks/${webhook.id}/rotate-secret`, { overlapSeconds: 600 });
    expect(rotated.status).toBe(201);
    const { secret: second } = (await rotated.json()) as { secret: string };
    receiver.secrets.push(second);
    const key = await newKey();
    const revokedAt = Date.now();
    expect((await manage(app.url, owner.auth, "POST", `/keys/${key.id}/revoke`)).status).toBe(200);
    const got = await receiver.waitFor((r) => r.path === at && r.payload.type === "key.revoked" && (r.payload.data.key as { id: string }).id === key.id, 5_000);
    expect(got.at - revokedAt).toBeLessThan(5_000);
    expect({ n: got.signature.split(" ").length, first: got.verified.includes(first), second: got.verified.includes(second) }).toEqual({ n: 2, first: true, second: true });
  });

  it("answers 404 for another team's webhook and project (BOLA)", async () => {
    const { webhook } = await addEndpoint(["key.created"]);
    for (const [method, p, body] of [
      ["GET", `/webhooks/${webhook.id}`],
      ["PATCH", `/webhooks/${webhook.id}`, { enabled: false }],
      ["DELETE", `/webhooks/${webhook.id}`],
      ["POST", `/webhooks/${webhook.id}/test`],
      ["POST", `/webhooks/${webhook.id}/rotate-secret`],
      ["GET", `/webhooks/${webhook.id}/deliveries`],
      ["GET", `/projects/${owner.projectId}/webhooks`],
      ["POST", `/projects/${owner.projectId}/webhooks`, { url: receiver.url }],
    ] as const) {
      const res = await manage(app.url, stranger, method, p, body);
      expect(res.status, `${method} ${p}`).toBe(404);
    }
    const still = await (await manage(app.url, owner.auth, "GET", `/webhooks/${webhook.id}`)).json();
    expect(still.webhook.enabled).toBe(true);
  });

  it("answers 403 to viewers and developers on webhook writes; they may read", async () => {
    const { webhook } = await addEndpoint(["key.created"]);
    for (const role of ["viewer", "developer"] as const) {
      const member = await memberWithRole(role);
      expect((await manage(app.url, member, "GET", `/projects/${owner.projectId}/webhooks`)).status).toBe(200);
      expect((await manage(app.url, member, "GET", `/webhooks/${webhook.id}/deliveries`)).status).toBe(200);
      for (const [method, p, body] of [
        ["POST", `/projects/${owner.projectId}/webhooks`, { url: receiver.url }],
        ["PATCH", `/webhooks/${webhook.id}`, { enabled: false }],
        ["DELETE", `/webhooks/${webhook.id}`],
        ["POST", `/webhooks/${webhook.id}/test`],
        ["POST", `/webhooks/${webhook.id}/rotate-secret`],
      ] as const) {
        const res = await manage(app.url, member, method, p, body);
        expect(res.status, `${role} ${method} ${p}`).toBe(403);
        expect((await res.json()).code).toBe("forbidden");
      }
    }
  });

  it("refuses oversized, non-JSON, invalid and NUL-carrying bodies", async () => {
    const url = `/projects/${owner.projectId}/webhooks`;
    const big = await manage(app.url, owner.auth, "POST", url, { url: receiver.url, description: "x".repeat(20_000) });
    expect(big.status).toBe(413);
    const bad = await manage(app.url, owner.auth, "POST", url, "{not json");
    expect(bad.status).toBe(400);
    const nul = await manage(app.url, owner.auth, "POST", url, { url: receiver.url, description: "a\u0000b" });
    expect(nul.status).toBe(422);
    const type = await manage(app.url, owner.auth, "POST", url, { url: receiver.url, events: ["key.nope"] });
    expect(type.status).toBe(422);
    const plain = await fetch(`${app.url}/api/manage/v1${url}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${(owner.auth as { token: string }).token}`, "Content-Type": "text/plain" },
      body: JSON.stringify({ url: receiver.url }),
    });
    expect(plain.status).toBe(415);
  });
});

describe("leaked-key intake", () => {
  it("a signed GitHub report revokes the key within 1 s, answers the labels, audits the URL and delivers key.leaked", async () => {
    await addEndpoint(["key.leaked"]);
    const key = await newKey();
    const body = JSON.stringify([
      { token: key.secret, type: "keyport_api_key", url: "https://github.com/acme/app/blob/main/.env", source: "content" },
      { token: "kp_live_notarealkeynotarealkeynotarealkey12", type: "keyport_api_key", url: "https://x", source: "content" },
      { token: "hello", type: "keyport_api_key", url: "https://x", source: "content" },
    ]);
    const started = Date.now();
    const res = await report(body, signed(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { token_hash: hashSecret(key.secret), token_type: "keyport_api_key", label: "true_positive" },
      { token_hash: hashSecret("kp_live_notarealkeynotarealkeynotarealkey12"), token_type: "keyport_api_key", label: "false_positive" },
      { token_hash: hashSecret("hello"), token_type: "keyport_api_key", label: "false_positive" },
    ]);
    const metered = await fetch(`${app.url}/api/v1/products`, { headers: { Authorization: `Bearer ${key.secret}` } });
    expect(metered.status).toBe(401);
    expect(Date.now() - started).toBeLessThan(1_000);
    const { key: json } = await (await manage(app.url, owner.auth, "GET", `/keys/${key.id}`)).json();
    expect(json.status).toBe("revoked");
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.leakedUrl).toBe("https://github.com/acme/app/blob/main/.env");
    expect(row.leakedAt).not.toBeNull();
    const leaked = await receiver.waitFor((r) => r.payload.type === "key.leaked" && (r.payload.data.key as { id: string }).id === key.id, 5_000);
    expect(leaked.payload.data).toMatchObject({ url: "https://github.com/acme/app/blob/main/.env", action: "revoked" });
    const audit = await database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "key.leaked"), eq(auditEvents.targetId, key.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0].metadata).toMatchObject({ url: "https://github.com/acme/app/blob/main/.env" });

    // Reported again: same answer, nothing happens twice.
    const twice = await report(body, signed(body));
    expect((await twice.json())[0].label).toBe("true_positive");
    const stored = await database.db.select().from(events).where(eq(events.type, "key.leaked"));
    expect(stored.filter((e) => (e.data as { key: { id: string } }).key.id === key.id)).toHaveLength(1);
  });

  it("labels a revoked key true_positive: the label says the token is a real credential, not that it still works", async () => {
    const key = await newKey();
    expect((await manage(app.url, owner.auth, "POST", `/keys/${key.id}/revoke`)).status).toBe(200);
    const body = JSON.stringify([{ token: key.secret, type: "keyport_api_key", url: "https://github.com/acme/old/blob/main/.env", source: "content" }]);
    const res = await report(body, signed(body));
    expect(await res.json()).toEqual([{ token_hash: hashSecret(key.secret), token_type: "keyport_api_key", label: "true_positive" }]);
    const { key: json } = await (await manage(app.url, owner.auth, "GET", `/keys/${key.id}`)).json();
    expect(json.status).toBe("revoked");
  });

  it("a bad, foreign or missing signature → 401 and nothing changes", async () => {
    const key = await newKey();
    const body = JSON.stringify([{ token: key.secret, type: "keyport_api_key", url: "https://x", source: "content" }]);
    const tampered = JSON.stringify([{ token: key.secret, type: "keyport_api_key", url: "https://y", source: "content" }]);
    for (const headers of [
      signed(tampered), // signature of other bytes
      signed(body, otherKey.privateKey), // a key GitHub never published
      signed(body, scanning.privateKey, "unknown-id"),
      { "Content-Type": "application/json" },
      { ...signed(body), "Github-Public-Key-Signature": "bm90IGEgc2lnbmF0dXJl" },
    ]) {
      const res = await report(body, headers);
      expect(res.status).toBe(401);
    }
    const { key: json } = await (await manage(app.url, owner.auth, "GET", `/keys/${key.id}`)).json();
    expect(json.status).toBe("active");
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.leakedAt).toBeNull();
    const ok = await fetch(`${app.url}/api/v1/products`, { headers: { Authorization: `Bearer ${key.secret}` } });
    expect(ok.status).toBe(200);
  });

  it("project leakAction notify: the key stays active, is marked leaked, and the team is told", async () => {
    const patched = await manage(app.url, owner.auth, "PATCH", `/projects/${owner.projectId}`, { leakAction: "notify" });
    expect(patched.status).toBe(200);
    expect((await patched.json()).project.leakAction).toBe("notify");
    const key = await newKey();
    const res = await fetch(`${app.url}/api/report-leak`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ secret: key.secret, url: "https://pastebin.example/abc" }),
    });
    expect(res.status).toBe(202);
    const { key: json } = await (await manage(app.url, owner.auth, "GET", `/keys/${key.id}`)).json();
    expect(json.status).toBe("active");
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.leakedUrl).toBe("https://pastebin.example/abc");
    await expect
      .poll(async () => ((await (await manage(app.url, owner.auth, "GET", "/me/notifications")).json()) as { notifications: { kind: string; body: string }[] }).notifications.find((n) => n.body.includes(key.id))?.kind, { timeout: 5_000 })
      .toBe("key.leaked");
    await manage(app.url, owner.auth, "PATCH", `/projects/${owner.projectId}`, { leakAction: "revoke" });
  });

  it("POST /api/report-leak answers 202 for anything well-formed (no oracle)", async () => {
    for (const secret of ["hello", "kp_live_notarealkeynotarealkeynotarealkey12"]) {
      const res = await fetch(`${app.url}/api/report-leak`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ secret }) });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ received: true });
    }
  });
});

describe("leak endpoints refuse bad input", () => {
  it("secret scanning: oversized → 413, not JSON → 415, signed but invalid JSON → 400, signed but not a batch → 422", async () => {
    const huge = "x".repeat(1024 * 1024 + 10);
    expect((await report(huge, signed(huge))).status).toBe(413);
    const body = "[]";
    expect((await report(body, { ...signed(body), "Content-Type": "text/plain" })).status).toBe(415);
    expect((await report("[{", signed("[{"))).status).toBe(400);
    const notBatch = JSON.stringify({ token: "x" });
    expect((await report(notBatch, signed(notBatch))).status).toBe(422);
    // An unsigned invalid body is refused for its signature, before any parsing.
    expect((await report("[{", { "Content-Type": "application/json" })).status).toBe(401);
  });

  it("report-leak: 400/413/415 for what is not a JSON body; 202 for any JSON (no oracle), then 429 past 20 reports per IP per hour", async () => {
    const post = (body: string, type = "application/json") => fetch(`${app.url}/api/report-leak`, { method: "POST", headers: { "Content-Type": type }, body });
    expect((await post("{nope")).status).toBe(400);
    expect((await post(JSON.stringify({ secret: "a".repeat(20_000) }))).status).toBe(413);
    expect((await post(JSON.stringify({ secret: "abc" }), "text/plain")).status).toBe(415);
    expect((await post(JSON.stringify({ secret: "a\u0000b" }))).status).toBe(202);
    expect((await post(JSON.stringify({ secret: "abc", url: "javascript:alert(1)" }))).status).toBe(202);
    expect((await post("{}")).status).toBe(202);
    expect((await post("[1, 2]")).status).toBe(202);
    const statuses: number[] = [];
    for (let i = 0; i < 18; i++) statuses.push((await post(JSON.stringify({ secret: `noise-${i}` }))).status);
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(16);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe("restart", () => {
  it("an event committed while no server runs is delivered by the next one", async () => {
    const { webhook } = await addEndpoint(["key.revoked"]);
    const key = await newKey();
    await app.stop();
    // The revocation commits (its event with it) while the server is down, as if it crashed right after.
    await revokeKey(database.db, { keyId: key.id, member: null, actor: null, reason: "test" });
    await start();
    const got = await receiver.waitFor((r) => r.payload.type === "key.revoked" && (r.payload.data.key as { id: string }).id === key.id, 10_000);
    expect(got.payload.data).toMatchObject({ by: "admin" });
    const log = await (await manage(app.url, owner.auth, "GET", `/webhooks/${webhook.id}/deliveries`)).json();
    expect(log.deliveries.some((d: { eventId: string; status: string }) => d.eventId === got.id)).toBe(true);
  });
});
