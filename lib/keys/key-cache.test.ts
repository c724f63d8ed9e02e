import { beforeEach, describe, expect, it } from "vitest";
import { publishInvalidation } from "./invalidation";
import { clearKeyCache, KEY_CACHE_MAX, lookUpShared, KEY_CACHE_TTL_MS, keyCacheSize, readKeyCache, UNKNOWN_CACHE_TTL_MS, writeKeyCache, type CachedKey } from "./key-cache";
import type { Db } from "../db/client";

const entry = (over: Partial<CachedKey> = {}): CachedKey => ({
  keyId: "key_1",
  projectId: "prj_1",
  ownerId: "usr_1",
  secretId: "sec_1",
  scopes: [],
  environment: "live",
  ipAllowlist: [],
  tierId: "tier_free",
  projectTierId: "tier_free",
  throttleTierId: null,
  throttledUntil: null,
  revokedAt: null,
  disabledAt: null,
  keyExpiresAt: null,
  secretExpiresAt: null,
  ownerSuspended: false,
  teamId: "team_1",
  name: "k",
  labels: [],
  allowedOrigins: [],
  ...over,
});

// publishInvalidation also NOTIFYs through the db; a db that cannot execute only logs, local delivery still happens.
const noDb = { execute: async () => undefined } as unknown as Db;

const store = (hash: string, value: CachedKey | null, now = Date.now()) => {
  const miss = readKeyCache(hash, now);
  if (miss.hit) throw new Error("expected a miss");
  writeKeyCache(hash, value, miss.generation, now);
};

beforeEach(() => clearKeyCache());

describe("key cache", () => {
  it("returns stored keys until the TTL, unknown hashes for a shorter time", () => {
    store("h1", entry(), 0);
    store("h2", null, 0);
    expect(readKeyCache("h1", KEY_CACHE_TTL_MS - 1)).toEqual({ hit: true, value: entry() });
    expect(readKeyCache("h2", UNKNOWN_CACHE_TTL_MS - 1)).toEqual({ hit: true, value: null });
    expect(readKeyCache("h2", UNKNOWN_CACHE_TTL_MS).hit).toBe(false);
    expect(readKeyCache("h1", KEY_CACHE_TTL_MS).hit).toBe(false);
  });

  it("is bounded, evicting the least recently used", () => {
    for (let i = 0; i < KEY_CACHE_MAX; i++) store(`h${i}`, entry({ keyId: `key_${i}` }));
    expect(readKeyCache("h0").hit).toBe(true); // h0 is now the most recently used
    store("new", entry());
    expect(keyCacheSize().known).toBe(KEY_CACHE_MAX);
    expect(readKeyCache("h0").hit).toBe(true);
    expect(readKeyCache("h1").hit).toBe(false);
  });

  it("drops entries by key, owner and project on invalidation", async () => {
    store("a", entry({ keyId: "key_a", ownerId: "usr_x", projectId: "prj_x" }));
    store("b", entry({ keyId: "key_b", ownerId: "usr_y", projectId: "prj_y" }));
    store("c", entry({ keyId: "key_c", ownerId: "usr_z", projectId: "prj_z" }));
    await publishInvalidation(noDb, { type: "key", keyId: "key_a" });
    await publishInvalidation(noDb, { type: "user", userId: "usr_y" });
    expect([readKeyCache("a").hit, readKeyCache("b").hit, readKeyCache("c").hit]).toEqual([false, false, true]);
    await publishInvalidation(noDb, { type: "project", projectId: "prj_z" });
    expect(readKeyCache("c").hit).toBe(false);
  });

  it("does not store a lookup that overlapped an invalidation (it may have read the old row)", async () => {
    const miss = readKeyCache("h");
    if (miss.hit) throw new Error("expected a miss");
    await publishInvalidation(noDb, { type: "key", keyId: "key_other" });
    writeKeyCache("h", entry(), miss.generation);
    expect(readKeyCache("h").hit).toBe(false);
  });

  it("shares one lookup among concurrent misses of a hash, and never across an invalidation", async () => {
    const answers: ((k: CachedKey) => void)[] = [];
    const lookup = () => new Promise<CachedKey>((r) => answers.push(r));
    const miss = () => {
      const read = readKeyCache("h1");
      if (read.hit) throw new Error("expected a miss");
      return lookUpShared("h1", read.generation, lookup);
    };
    const burst = [miss(), miss(), miss()];
    expect(answers).toHaveLength(1);
    // A revocation lands while that lookup is in flight: a request after it must not take the earlier answer.
    await publishInvalidation(noDb, { type: "key", keyId: "key_1" });
    const afterInvalidation = miss();
    expect(answers).toHaveLength(2);
    answers[0](entry());
    answers[1](entry({ revokedAt: new Date(0) }));
    expect(await Promise.all(burst)).toEqual([entry(), entry(), entry()]);
    expect((await afterInvalidation)?.revokedAt).toEqual(new Date(0));
    // A settled lookup is not kept: the next miss asks again.
    void miss();
    expect(answers).toHaveLength(3);
  });
});
