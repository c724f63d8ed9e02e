// Key lifecycle at the domain level, against the run's real PostgreSQL database, with an injected clock.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { apiKeys, auditEvents, keySecrets } from "../../../lib/db/schema";
import { ApiError } from "../../../lib/http/errors";
import { createKeyInput } from "../../../lib/keys/create-key";
import { endGrace } from "../../../lib/keys/end-grace";
import { getKey } from "../../../lib/keys/get-key";
import { publishInvalidation } from "../../../lib/keys/invalidation";
import { listKeys } from "../../../lib/keys/list-keys";
import { flushKeyUse } from "../../../lib/keys/record-key-use";
import { revokeKey } from "../../../lib/keys/revoke-key";
import { rotateKey } from "../../../lib/keys/rotate-key";
import { updateKey, updateKeyInput } from "../../../lib/keys/update-key";
import { verifyKey } from "../../../lib/keys/verify-key";
import { openTestDatabase } from "../../support/databases";
import { createOwner, issueKey, suspendOwner, type Owner } from "./fixtures";

const memberOf = (user: { id: string }) => ({ user: { id: user.id }, access: "session" as const });

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
});
afterAll(async () => {
  await database?.close();
});

const db = () => database.db;
const actorOf = (owner: Owner) => ({ id: owner.id, email: owner.email });

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof ApiError) return error.code;
    throw error;
  }
  return "accepted";
}

const verify = (secret: string, extra: { ip?: string; now?: Date; scope?: "products:read" } = {}) =>
  verifyKey(secret, { db: db(), ip: extra.ip ?? "198.51.100.7", now: extra.now, scope: extra.scope });

describe("create", () => {
  it("stores the key and its secret together, with the project's default tier, and returns the secret once", async () => {
    const owner = await createOwner(db());
    const { key, secret } = await issueKey(db(), owner, { name: "Checkout", scopes: ["products:read"], environment: "test" });
    expect(secret).toMatch(/^kp_test_[0-9A-Za-z]{38}$/);
    expect(key).toMatchObject({
      projectId: owner.projectId,
      name: "Checkout",
      scopes: ["products:read"],
      environment: "test",
      tier: "free",
      status: "active",
      start: secret.slice(0, 12),
      last4: secret.slice(-4),
      rotation: null,
      expiresAt: null,
      lastUsedAt: null,
      ipAllowlist: [],
    });
    const secrets = await db().select().from(keySecrets).where(eq(keySecrets.keyId, key.id));
    expect(secrets).toHaveLength(1);
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.targetId, key.id));
    expect(event).toMatchObject({ action: "key.create", projectId: owner.projectId, actorId: owner.id, ip: "127.0.0.1" });
    expect((await verify(secret)).keyId).toBe(key.id);
  });

  it("creates nothing when any part fails (another user's project)", async () => {
    const owner = await createOwner(db());
    const stranger = await createOwner(db());
    expect(await refusal(issueKey(db(), { ...stranger, projectId: owner.projectId }))).toBe("not_found");
    // Other test files write keys into the same database at the same time: count only this project's.
    expect(await db().select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.projectId, owner.projectId))).toEqual([]);
  });

  it("validates input: past expiry, bad CIDRs, unknown scopes and unknown fields", async () => {
    const owner = await createOwner(db());
    expect(await refusal(issueKey(db(), owner, { expiresAt: new Date(Date.now() - 1000) }))).toBe("validation_failed");
    expect(createKeyInput.safeParse({ name: "x", scopes: [], ipAllowlist: ["10.0.0.0/33"] }).success).toBe(false);
    // A scope must look like one (schema), and exist in the catalog or a registered API (createKey, CONTRACT §13).
    expect(createKeyInput.safeParse({ name: "x", scopes: ["Admin All"] }).success).toBe(false);
    expect(await refusal(issueKey(db(), owner, { scopes: ["admin:all"] }))).toBe("validation_failed");
    expect(createKeyInput.safeParse({ name: "x", scopes: [], tier: "tier_pro" }).success).toBe(false);
    const parsed = createKeyInput.parse({ name: "  x ", scopes: ["products:write", "products:read", "products:read"], ipAllowlist: ["10.1.2.3/8", "2001:DB8::/32"] });
    expect(parsed).toMatchObject({ name: "x", scopes: ["products:read", "products:write"], environment: "live", ipAllowlist: ["10.0.0.0/8", "2001:db8::/32"] });
  });
});

describe("read and edit", () => {
  it("lists and reads only the owner's keys", async () => {
    const owner = await createOwner(db());
    const stranger = await createOwner(db());
    const { key } = await issueKey(db(), owner);
    expect((await listKeys(db(), { projectId: owner.projectId, member: memberOf(owner) })).map((k) => k.id)).toEqual([key.id]);
    expect(await refusal(listKeys(db(), { projectId: owner.projectId, member: memberOf(stranger) }))).toBe("not_found");
    expect(await refusal(getKey(db(), { keyId: key.id, member: memberOf(stranger) }))).toBe("not_found");
    expect(await refusal(revokeKey(db(), { keyId: key.id, member: memberOf(stranger), actor: actorOf(stranger) }))).toBe("not_found");
    expect(await refusal(rotateKey(db(), { keyId: key.id, member: memberOf(stranger), actor: actorOf(stranger) }))).toBe("not_found");
    expect(await refusal(updateKey(db(), { keyId: key.id, member: memberOf(stranger), actor: actorOf(stranger), input: { name: "mine" } }))).toBe("not_found");
  });

  it("edits name, scopes, expiry and allowlist; refuses tier, owner and project", async () => {
    const owner = await createOwner(db());
    const { key, secret } = await issueKey(db(), owner);
    expect(await refusal(verify(secret, { scope: "products:read" }))).toBe("insufficient_scope");
    const expiresAt = new Date(Date.now() + 3_600_000);
    const updated = await updateKey(db(), {
      keyId: key.id,
      member: memberOf(owner),
      actor: actorOf(owner),
      input: updateKeyInput.parse({ name: "Renamed", scopes: ["products:read"], expiresAt: expiresAt.toISOString(), ipAllowlist: ["198.51.100.0/24"] }),
    });
    expect(updated).toMatchObject({ name: "Renamed", scopes: ["products:read"], expiresAt: expiresAt.toISOString(), ipAllowlist: ["198.51.100.0/24"], tier: "free" });
    // The edit is visible to verification at once (the cached entry was invalidated).
    expect((await verify(secret, { scope: "products:read" })).scopes).toEqual(["products:read"]);
    expect(await refusal(verify(secret, { ip: "203.0.113.1" }))).toBe("ip_not_allowed");
    for (const field of [{ tier: "tier_enterprise" }, { tierId: "tier_pro" }, { projectId: "prj_x" }, { ownerId: "usr_x" }, { status: "active" }]) {
      expect(updateKeyInput.safeParse({ name: "x", ...field }).success).toBe(false);
    }
    const events = await db().select().from(auditEvents).where(eq(auditEvents.targetId, key.id));
    expect(events.find((e) => e.action === "key.update")).toMatchObject({
      projectId: owner.projectId,
      actorId: owner.id,
      metadata: expect.objectContaining({ changed: ["name", "scopes", "expiresAt", "ipAllowlist"] }),
    });
  });

  it("records only real changes: re-sending the current values writes and audits nothing", async () => {
    const owner = await createOwner(db());
    const { key } = await issueKey(db(), owner, { name: "Same", scopes: ["products:read"] });
    const input = updateKeyInput.parse({ name: "Same", scopes: ["products:read"], expiresAt: null, ipAllowlist: [] });
    await updateKey(db(), { keyId: key.id, member: memberOf(owner), actor: actorOf(owner), input });
    const renamed = await updateKey(db(), { keyId: key.id, member: memberOf(owner), actor: actorOf(owner), input: { ...input, name: "Other" } });
    expect(renamed.name).toBe("Other");
    const updates = (await db().select().from(auditEvents).where(eq(auditEvents.targetId, key.id))).filter((e) => e.action === "key.update");
    expect(updates.map((e) => e.metadata?.changed)).toEqual([["name"]]);
  });
});

describe("rotation with a grace window", () => {
  it("keeps both secrets working during grace, then only the new one; the key id never changes", async () => {
    const owner = await createOwner(db());
    const t0 = new Date();
    const { key, secret: oldSecret } = await issueKey(db(), owner, {}, t0);
    const rotated = await rotateKey(db(), { keyId: key.id, member: memberOf(owner), actor: actorOf(owner), gracePeriodSeconds: 3600, now: t0 });
    expect(rotated.key.id).toBe(key.id);
    expect(rotated.secret).not.toBe(oldSecret);
    expect(rotated.previousSecretExpiresAt).toBe(new Date(t0.getTime() + 3_600_000).toISOString());
    expect(rotated.key.rotation).toMatchObject({ previousStart: key.start, previousExpiresAt: rotated.previousSecretExpiresAt });
    expect(rotated.key.start).toBe(rotated.secret.slice(0, 12));

    const during = new Date(t0.getTime() + 3_599_000);
    expect((await verify(oldSecret, { now: during })).keyId).toBe(key.id);
    expect((await verify(rotated.secret, { now: during })).keyId).toBe(key.id);

    const after = new Date(t0.getTime() + 3_600_000);
    expect(await refusal(verify(oldSecret, { now: after }))).toBe("expired_api_key");
    expect((await verify(rotated.secret, { now: after })).keyId).toBe(key.id);
    expect((await getKey(db(), { keyId: key.id, member: memberOf(owner), now: after })).rotation).toBeNull();
  });

  it("expires an older previous secret at the next rotation, and honours a zero grace", async () => {
    const owner = await createOwner(db());
    const { key, secret: first } = await issueKey(db(), owner);
    const second = await rotateKey(db(), { keyId: key.id, member: memberOf(owner), actor: actorOf(owner) });
    expect(await verify(first)).toBeTruthy();
    const third = await rotateKey(db(), { keyId: key.id, member: memberOf(owner), actor: actorOf(owner), gracePeriodSeconds: 0 });
    expect(await refusal(verify(first))).toBe("expired_api_key");
    expect(await refusal(verify(second.secret))).toBe("expired_api_key");
    expect((await verify(third.secret)).keyId).toBe(key.id);
    expect(third.key.rotation).toBeNull();
    expect(await refusal(rotateKey(db(), { keyId: key.id, member: memberOf(owner), actor: actorOf(owner), gracePeriodSeconds: 604_801 }))).toBe("validation_failed");
  });

  it("lets the owner end the grace early", async () => {
    const owner = await createOwner(db());
    const { key, secret } = await issueKey(db(), owner);
    await rotateKey(db(), { keyId: key.id, member: memberOf(owner), actor: actorOf(owner), gracePeriodSeconds: 86_400 });
    expect(await verify(secret)).toBeTruthy();
    const ended = await endGrace(db(), { keyId: key.id, member: memberOf(owner), actor: actorOf(owner) });
    expect(ended.rotation).toBeNull();
    expect(await refusal(verify(secret))).toBe("expired_api_key");
    expect(await refusal(endGrace(db(), { keyId: key.id, member: memberOf(owner), actor: actorOf(owner) }))).toBe("conflict");
    const actions = (await db().select().from(auditEvents).where(eq(auditEvents.targetId, key.id))).map((e) => e.action);
    expect(actions.sort()).toEqual(["key.create", "key.end_grace", "key.rotate"]);
  });

  it("records which secret was last used, so the dashboard can show whether the old one is still in use", async () => {
    const owner = await createOwner(db());
    const { key, secret } = await issueKey(db(), owner);
    const rotated = await rotateKey(db(), { keyId: key.id, member: memberOf(owner), actor: actorOf(owner) });
    const usedAt = new Date(Date.now() + 1000);
    await verify(secret, { now: usedAt });
    await flushKeyUse();
    const view = await getKey(db(), { keyId: key.id, member: memberOf(owner) });
    expect(view.lastUsedAt).toBe(usedAt.toISOString());
    expect(view.rotation?.previousLastUsedAt).toBe(usedAt.toISOString());
    const [current] = await db().select().from(keySecrets).where(eq(keySecrets.hash, (await import("../../../lib/keys/secret")).hashSecret(rotated.secret)));
    expect(current.lastUsedAt).toBeNull();
  });
});

describe("refusals", () => {
  it("revocation is immediate and idempotent", async () => {
    const owner = await createOwner(db());
    const { key, secret } = await issueKey(db(), owner);
    expect(await verify(secret)).toBeTruthy(); // now cached
    const revoked = await revokeKey(db(), { keyId: key.id, member: memberOf(owner), actor: actorOf(owner), ip: "203.0.113.9" });
    expect(revoked.status).toBe("revoked");
    expect(await refusal(verify(secret))).toBe("revoked_api_key");
    await revokeKey(db(), { keyId: key.id, member: null, actor: null });
    const events = await db().select().from(auditEvents).where(eq(auditEvents.targetId, key.id));
    expect(events.filter((e) => e.action === "key.revoke")).toHaveLength(1);
    expect(await refusal(rotateKey(db(), { keyId: key.id, member: memberOf(owner), actor: actorOf(owner) }))).toBe("conflict");
  });

  it("an expired key answers expired_api_key", async () => {
    const owner = await createOwner(db());
    const expiresAt = new Date(Date.now() + 60_000);
    const { key, secret } = await issueKey(db(), owner, { expiresAt });
    expect(await verify(secret)).toBeTruthy();
    expect(await refusal(verify(secret, { now: expiresAt }))).toBe("expired_api_key");
    expect((await getKey(db(), { keyId: key.id, member: memberOf(owner), now: expiresAt })).status).toBe("expired");
  });

  it("a suspended owner's keys answer account_suspended, and work again when lifted", async () => {
    const owner = await createOwner(db());
    const { secret } = await issueKey(db(), owner);
    expect(await verify(secret)).toBeTruthy();
    await suspendOwner(db(), owner);
    expect(await refusal(verify(secret))).toBe("account_suspended");
    await suspendOwner(db(), owner, false);
    expect(await verify(secret)).toBeTruthy();
  });

  it("checks IPv4 and IPv6 allowlists, including IPv4-mapped addresses", async () => {
    const owner = await createOwner(db());
    const { secret } = await issueKey(db(), owner, { ipAllowlist: ["10.0.0.0/8", "2001:db8::/32"] });
    expect(await verify(secret, { ip: "10.9.8.7" })).toBeTruthy();
    expect(await verify(secret, { ip: "::ffff:10.9.8.7" })).toBeTruthy();
    expect(await verify(secret, { ip: "2001:db8:1::5" })).toBeTruthy();
    expect(await refusal(verify(secret, { ip: "11.0.0.1" }))).toBe("ip_not_allowed");
    expect(await refusal(verify(secret, { ip: "2001:db9::1" }))).toBe("ip_not_allowed");
  });

  it("malformed, bad-checksum and unknown keys answer invalid_api_key", async () => {
    const owner = await createOwner(db());
    const { secret } = await issueKey(db(), owner);
    expect(await refusal(verify("kp_live_short"))).toBe("invalid_api_key");
    const flipped = secret.slice(0, 10) + (secret[10] === "a" ? "b" : "a") + secret.slice(11);
    expect(await refusal(verify(flipped))).toBe("invalid_api_key");
    const other = (await import("../../../lib/keys/secret")).generateApiKeySecret("kp", "live").secret;
    expect(await refusal(verify(other))).toBe("invalid_api_key");
  });

  it("serves looked-up keys from memory until an invalidation says otherwise", async () => {
    const owner = await createOwner(db());
    const { key, secret } = await issueKey(db(), owner);
    expect(await verify(secret)).toBeTruthy();
    // A change made behind the domain's back (no announcement) is not seen: proof the hot path skips the database.
    await db().update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, key.id));
    expect(await verify(secret)).toBeTruthy();
    await publishInvalidation(db(), { type: "project", projectId: owner.projectId });
    expect(await refusal(verify(secret))).toBe("revoked_api_key");
  });
});
