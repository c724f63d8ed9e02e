// One conformance suite for the usage journal stores: ioredis over Redis TCP, and the real @upstash/redis REST client
// against the local Upstash-protocol emulator on the same Redis. Each test has its own key prefix.
import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { upstashRestClient } from "../../../lib/ratelimit/get-limiter-store";
import { encodeEntry } from "../../../lib/usage/journal-entry";
import { IoredisJournalStore, UpstashJournalStore, type JournalStore } from "../../../lib/usage/journal-store";
import { openRedisPeers } from "../../support/redis-peers";

const peers = openRedisPeers();

const freshPrefix = () => `${inject("redisPrefix")}:usage-conformance:${randomBytes(4).toString("hex")}`;

const stores: Record<string, (prefix: string) => JournalStore> = {
  "redis (peers.ioredis)": (prefix) => new IoredisJournalStore(peers.ioredis, prefix),
  "upstash (REST client)": (prefix) => new UpstashJournalStore(upstashRestClient(peers.emulator.url, peers.emulator.token), prefix),
};

describe.each(Object.entries(stores))("usage journal store: %s", (_name, make) => {
  it("appends entries in order, byte for byte, to a list registered under its lease", async () => {
    const store = make(freshPrefix());
    const key = store.journalKey("inst1", 1);
    const entries = [
      encodeEntry("key_a", "prj_a", "GET /api/v1/products/{sku}", 60_000, 200, 3, 2),
      encodeEntry("key_a", "prj_a", "DELETE /api/v1/ping", 60_000, 405, 0, 0),
      "u1\tkey_é\tprj_ü\t1\t200\t1\t0\tGET /api/v1/✓ with spaces/and/slashes",
    ];
    await store.append(key, entries.slice(0, 2), 5_000);
    await store.append(key, entries.slice(2), 5_000);
    expect(await store.read(key)).toEqual(entries);
    expect(await store.expired(4_999, 10)).toEqual([]);
    expect(await store.expired(5_000, 10)).toEqual([key]);
    expect(await store.read(store.journalKey("inst1", 2))).toEqual([]);
  });

  it("pushes without registering; register (again) makes a list findable under its new lease", async () => {
    const store = make(freshPrefix());
    const key = store.journalKey("inst1", 1);
    await store.push(key, ["u1\ta", "u1\tb"]);
    expect(await store.read(key)).toEqual(["u1\ta", "u1\tb"]);
    expect(await store.expired(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
    await store.register(key, 2_000);
    await store.register(key, 3_000);
    expect(await store.expired(2_999, 10)).toEqual([]);
    expect(await store.expired(3_000, 10)).toEqual([key]);
  });

  it("rejects an append Redis refused (the caller must not take it as journaled)", async () => {
    const store = make(freshPrefix());
    const key = store.journalKey("inst", 1);
    await peers.ioredis.set(key, "not a list");
    await expect(store.append(key, ["u1\tx"], 1_000)).rejects.toThrow(/WRONGTYPE/);
    await peers.ioredis.del(key);
  });

  it("lists expired journals oldest lease first, at most `limit`", async () => {
    const store = make(freshPrefix());
    const keys = [3, 1, 2].map((n) => store.journalKey("inst", n));
    await store.append(keys[0], ["u1\tx"], 3_000);
    await store.append(keys[1], ["u1\tx"], 1_000);
    await store.append(keys[2], ["u1\tx"], 2_000);
    expect(await store.expired(10_000, 2)).toEqual([keys[1], keys[2]]);
    expect(await store.expired(2_500, 10)).toEqual([keys[1], keys[2]]);
  });

  it("refresh moves leases forward, but never brings back a removed journal", async () => {
    const store = make(freshPrefix());
    const [a, b] = [store.journalKey("inst", 1), store.journalKey("inst", 2)];
    await store.append(a, ["u1\ta"], 1_000);
    await store.append(b, ["u1\tb"], 1_000);
    await store.remove([b]);
    await store.refresh([a, b], 9_000);
    expect(await store.expired(8_999, 10)).toEqual([]);
    expect(await store.expired(9_000, 10)).toEqual([a]);
    expect(await store.read(b)).toEqual([]);
    await store.refresh([], 9_000);
  });

  it("keeps one heartbeat per owner (a counter comes back as the string it was), forgets owners, names a list's owner", async () => {
    const prefix = freshPrefix();
    const store = make(prefix);
    expect(await store.beats()).toEqual({});
    await store.heartbeat("a1b2c3", "1");
    await store.heartbeat("d4e5f6", "7");
    await store.heartbeat("a1b2c3", "2");
    expect(await store.beats()).toEqual({ a1b2c3: "2", d4e5f6: "7" });
    await store.forgetOwners(["a1b2c3", "nobody"]);
    expect(await store.beats()).toEqual({ d4e5f6: "7" });
    await store.forgetOwners([]);
    expect(store.ownerOf(store.journalKey("a1b2c3", 12))).toBe("a1b2c3");
    expect(store.ownerOf(`${prefix}:other:a1b2c3:12`)).toBeNull();
    expect(make(`${prefix}:x`).ownerOf(store.journalKey("a1b2c3", 12))).toBeNull();
  });

  it("gives a claim to one owner at a time, until it expires or the journal is removed", async () => {
    const store = make(freshPrefix());
    const key = store.journalKey("inst", 1);
    await store.append(key, ["u1\tx"], 1_000);
    expect(await store.claim(key, "one", 150)).toBe(true);
    expect(await store.claim(key, "two", 150)).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    expect(await store.claim(key, "two", 60_000)).toBe(true);
    await store.remove([key]);
    expect(await store.expired(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
    expect(await store.read(key)).toEqual([]);
    // The claim went with the journal: a journal of the same name (a late append) can be claimed again.
    await store.append(key, ["u1\ty"], 1_000);
    expect(await store.claim(key, "three", 60_000)).toBe(true);
    await store.remove([key]);
    await store.remove([]);
  });
});
