// Accounts, projects and keys for metered-API tests, made through the management API; tiers written to the database.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../../../lib/db/client";
import { apiKeys, projects, tiers } from "../../../lib/db/schema";
import { publishInvalidation } from "../../../lib/keys/invalidation";
import { SCOPES } from "../../../lib/keys/scopes";
import { createUserWithToken, manage } from "../../support/accounts";

export type Developer = { token: string; cookie: string; projectId: string };
export type TestKey = { id: string; secret: string; projectId: string };

export async function createDeveloper(baseUrl: string): Promise<Developer> {
  const account = await createUserWithToken(baseUrl);
  const res = await manage(baseUrl, { token: account.token }, "POST", "/projects", { name: "Metered test" });
  if (res.status !== 201) throw new Error(`project creation failed: ${res.status} ${await res.text()}`);
  const { project } = (await res.json()) as { project: { id: string } };
  return { token: account.token, cookie: account.cookie, projectId: project.id };
}

export async function createTestKey(baseUrl: string, dev: Developer, scopes: string[] = [...SCOPES]): Promise<TestKey> {
  const res = await manage(baseUrl, { token: dev.token }, "POST", `/projects/${dev.projectId}/keys`, { name: "test key", scopes });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${await res.text()}`);
  const { key, secret } = (await res.json()) as { key: { id: string }; secret: string };
  return { id: key.id, secret, projectId: dev.projectId };
}

export type TierInput = { burstPerSecond?: number | null; perMinute?: number | null; perDay?: number | null; perMonth?: number | null };

export async function createTier(db: Db, limits: TierInput): Promise<string> {
  const id = `tier_t${randomBytes(5).toString("hex")}`;
  await db.insert(tiers).values({
    id,
    name: id,
    burstPerSecond: limits.burstPerSecond ?? null,
    perMinute: limits.perMinute ?? null,
    perDay: limits.perDay ?? null,
    perMonth: limits.perMonth ?? null,
  });
  return id;
}

/** What an admin tier change does: write it and announce it to every instance. */
export async function setKeyTier(db: Db, keyId: string, tierId: string): Promise<void> {
  await db.update(apiKeys).set({ tierId }).where(eq(apiKeys.id, keyId));
  await publishInvalidation(db, { type: "key", keyId });
}

/** What an admin project tier change does: the pool's limits for the sum of the project's keys, announced. */
export async function setProjectTier(db: Db, projectId: string, tierId: string): Promise<void> {
  await db.update(projects).set({ tierId }).where(eq(projects.id, projectId));
  await publishInvalidation(db, { type: "project", projectId });
}

export async function updateTier(db: Db, tierId: string, limits: TierInput): Promise<void> {
  await db.update(tiers).set(limits).where(eq(tiers.id, tierId));
  await publishInvalidation(db, { type: "tier", tierId });
}

export const call = (baseUrl: string, secret: string, path: string, init: RequestInit = {}) =>
  fetch(`${baseUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${secret}`, ...(init.headers ?? {}) } });

/** Waits until the current minute has at least `seconds` left, so a burst of requests stays in one minute window. */
export async function awayFromMinuteEdge(seconds = 4): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((r) => setTimeout(r, left + 50));
}

/**
 * A freshly started instance on a busy machine may answer its first metered requests 503 while its database pool
 * opens (start-up, not the behaviour under test): call until it answers something else, at most 10 s.
 */
export async function warmUp(baseUrl: string, secret: string, path = "/api/v1/ping"): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const res = await call(baseUrl, secret, path);
    await res.arrayBuffer();
    if (res.status !== 503) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}
