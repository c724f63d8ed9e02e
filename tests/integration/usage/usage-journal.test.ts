// The usage journal against the run's PostgreSQL and Redis: what a crashed process had journaled is replayed into
// usage_rollups exactly once — not before its lease ends, not twice, and not again when its owner flushes late.
import { randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { createServer, type AddressInfo, type Socket } from "node:net";
import Redis from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type Database } from "../../../lib/db/client";
import { usageJournalApplied, usageRollups } from "../../../lib/db/schema";
import { upstashRestClient } from "../../../lib/ratelimit/get-limiter-store";
import { redisOptions } from "../../../lib/redis/client";
import { IoredisJournalStore, UpstashJournalStore } from "../../../lib/usage/journal-store";
import { latencyBucket } from "../../../lib/usage/latency";
import { outcomeOf } from "../../../lib/usage/outcome";
import {
  abandonUsageBufferForTests,
  APPEND_WAIT_MS,
  flushUsage,
  LEASE_MS,
  pendingUsage,
  recordUsage,
  setUsageJournal,
  usageInstanceIdForTests,
} from "../../../lib/usage/usage-buffer";
import { OwnerWatch, TAKEOVER_MS } from "../../../lib/usage/owner-watch";
import { recoverUsageJournals } from "../../../lib/usage/usage-recovery";
import { setClockOffsets } from "../../../lib/clock/cluster-clock";
import { openTestDatabase, TEST_REDIS_URL } from "../../support/databases";

let database: Database;
let redis: Redis;
let store: IoredisJournalStore;

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
  redis = new Redis(TEST_REDIS_URL, redisOptions());
});

afterEach(() => {
  abandonUsageBufferForTests();
  setUsageJournal(null);
});

afterAll(async () => {
  redis?.disconnect();
  await database?.close();
});

/** Each test journals under its own prefix, so recovery sees only that test's journals. */
function freshJournal(): IoredisJournalStore {
  store = new IoredisJournalStore(redis, `${inject("redisPrefix")}:usage-journal-test:${randomBytes(4).toString("hex")}`);
  setUsageJournal(store);
  return store;
}

const afterLease = () => Date.now() + LEASE_MS + 1_000;
/** A heartbeat watch on a clock the test moves: `watched.pass()` is TAKEOVER_MS of watching. */
function watchedClock() {
  let ms = 0;
  return { watch: new OwnerWatch(() => ms), pass: () => (ms += TAKEOVER_MS) };
}
const keyId = () => `key_${randomBytes(6).toString("hex")}`;

const STATUSES = [200, 201, 404, 405, 429, 503];
const LATENCIES = [0.4, 1.49, 1.5, 2.2, 7, 30.5, 260, 3000];
const ENDPOINTS = ["GET /api/v1/ping", "GET /api/v1/products/{sku}", "DELETE /api/v1/ping"];

type Expected = { total: number; success: number; clientErrors: number; rateLimited: number; serverErrors: number; latencySumMs: number; histogram: number[] };

/** Records `n` varied requests for `id` (several turns, two minutes), returning what they must add up to. */
async function recordMany(id: string, n: number, opts: { splitSegmentAt?: number } = {}): Promise<Expected> {
  const expected: Expected = { total: 0, success: 0, clientErrors: 0, rateLimited: 0, serverErrors: 0, latencySumMs: 0, histogram: new Array(12).fill(0) };
  const base = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const acks: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    if (i === opts.splitSegmentAt) setUsageJournal(store);
    const status = STATUSES[i % STATUSES.length];
    const latencyMs = LATENCIES[i % LATENCIES.length];
    acks.push(recordUsage({ keyId: id, projectId: "prj_j", endpoint: ENDPOINTS[i % 3], status, latencyMs, at: new Date(base + (i % 2) * 60_000 + 5_000) }));
    expected.total += 1;
    expected[outcomeOf(status)] += 1;
    expected.latencySumMs += Math.round(latencyMs);
    expected.histogram[latencyBucket(latencyMs)] += 1;
    // A new event-loop turn now and then: several appends, as under real traffic.
    if (i % 37 === 0) await new Promise((r) => setImmediate(r));
  }
  await Promise.all(acks);
  return expected;
}

async function dayTotals(id: string) {
  const rows = await database.db.select().from(usageRollups).where(and(eq(usageRollups.keyId, id), eq(usageRollups.granularity, "day")));
  const histogram = new Array(12).fill(0);
  for (const r of rows) r.latencyHistogram.forEach((n, i) => (histogram[i] += n));
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    total: sum((r) => r.total),
    success: sum((r) => r.success),
    clientErrors: sum((r) => r.clientErrors),
    rateLimited: sum((r) => r.rateLimited),
    serverErrors: sum((r) => r.serverErrors),
    latencySumMs: sum((r) => r.latencySumMs),
    histogram,
  };
}

async function totalsByGranularity(id: string) {
  const rows = await database.db
    .select({ granularity: usageRollups.granularity, total: sql<number>`sum(${usageRollups.total})::int` })
    .from(usageRollups)
    .where(eq(usageRollups.keyId, id))
    .groupBy(usageRollups.granularity);
  return Object.fromEntries(rows.map((r) => [r.granularity, r.total]));
}

describe("usage journal", () => {
  it("replays a crashed process's journals exactly once, only after their lease", async () => {
    freshJournal();
    const id = keyId();
    const expected = await recordMany(id, 500, { splitSegmentAt: 260 });
    const journals = await store.expired(afterLease(), 100);
    expect(journals.length).toBe(2);

    abandonUsageBufferForTests(); // the crash: nothing was flushed
    expect(pendingUsage()).toBe(0);
    expect(await totalsByGranularity(id)).toEqual({});

    // Leases still running: the owner might be alive, nothing is touched.
    const { watch, pass } = watchedClock();
    expect(await recoverUsageJournals(database.db, store, { owner: "survivor", watch })).toMatchObject({ journals: 0, entries: 0 });
    expect(await totalsByGranularity(id)).toEqual({});
    // Leases over, but the owner's heartbeat has not been watched standing still long enough yet.
    expect(await recoverUsageJournals(database.db, store, { owner: "survivor", now: afterLease(), watch })).toMatchObject({ journals: 0, live: 2 });
    expect(await totalsByGranularity(id)).toEqual({});
    pass();

    const replay = await recoverUsageJournals(database.db, store, { owner: "survivor", now: afterLease(), watch });
    expect(replay).toEqual({ journals: 2, entries: 500, alreadyApplied: 0, invalid: 0, live: 0 });
    expect(await totalsByGranularity(id)).toEqual({ minute: 500, hour: 500, day: 500 });
    expect(await dayTotals(id)).toEqual(expected);
    expect(await store.expired(afterLease(), 100)).toEqual([]);

    // Again: nothing left to replay.
    expect(await recoverUsageJournals(database.db, store, { owner: "survivor", now: afterLease(), watch })).toMatchObject({ journals: 0, entries: 0 });
    // A journal that survived its replay (the delete failed, or an append landed late) is found applied and deleted.
    await store.append(journals[0], [`u1\t${id}\tprj_j\t${Math.floor(Date.now() / 60_000)}\t200\t1\t0\tGET /api/v1/ping`], 0);
    pass();
    expect(await recoverUsageJournals(database.db, store, { owner: "survivor", now: afterLease(), watch: null })).toMatchObject({ journals: 0, alreadyApplied: 1 });
    expect(await store.read(journals[0])).toEqual([]);
    expect(await dayTotals(id)).toEqual(expected);
  });

  it("does not count twice when the owner flushes a segment another instance already replayed", async () => {
    freshJournal();
    const id = keyId();
    const expected = await recordMany(id, 120);
    // The owner stalled (no heartbeat for TAKEOVER_MS); someone else replays its journal…
    const { watch, pass } = watchedClock();
    await recoverUsageJournals(database.db, store, { owner: "other", now: afterLease(), watch });
    pass();
    const replay = await recoverUsageJournals(database.db, store, { owner: "other", now: afterLease(), watch });
    expect(replay.entries).toBe(120);
    // …then the owner wakes up and flushes the same counts from memory.
    expect(pendingUsage()).toBe(120);
    await flushUsage(database.db);
    expect(pendingUsage()).toBe(0);
    expect(await dayTotals(id)).toEqual(expected);
    expect(await totalsByGranularity(id)).toEqual({ minute: 120, hour: 120, day: 120 });
  });

  it("a flush writes journaled counts once, marks them applied and deletes the journals; a failed flush keeps them", async () => {
    freshJournal();
    const id = keyId();
    // Acknowledged means in Redis: another connection reads it at once (what lets the gateway answer safely).
    await recordUsage({ keyId: id, projectId: "prj_j", endpoint: "GET /api/v1/ping", status: 200, latencyMs: 1, at: new Date() });
    const [journal] = await store.expired(afterLease(), 100);
    const reader = new Redis(TEST_REDIS_URL, redisOptions());
    expect(await reader.lrange(journal, 0, -1)).toEqual([expect.stringContaining(`\t${id}\t`)]);
    reader.disconnect();
    const expected = await recordMany(id, 79);
    expected.total += 1;
    expected.success += 1;
    expected.latencySumMs += 1;
    expected.histogram[latencyBucket(1)] += 1;
    const mine = (await store.expired(afterLease(), 100)).filter((k) => k.includes(usageInstanceIdForTests()));
    expect(mine.length).toBe(1);

    const broken = await openDatabase({ url: inject("databaseUrl").replace(/\/[^/]+$/, "/keyport_no_such_database"), max: 1 });
    await expect(flushUsage(broken.db)).rejects.toThrow();
    await broken.close();
    expect(pendingUsage()).toBe(80);
    expect((await store.read(mine[0])).length).toBe(80);

    await flushUsage(database.db);
    expect(pendingUsage()).toBe(0);
    expect(await dayTotals(id)).toEqual(expected);
    expect(await store.expired(afterLease(), 100)).toEqual([]);
    expect(await store.read(mine[0])).toEqual([]);
    const applied = await database.db.select().from(usageJournalApplied).where(inArray(usageJournalApplied.journalKey, mine));
    expect(applied.length).toBe(1);
    // Nothing is left for a recovery to find.
    expect(await recoverUsageJournals(database.db, store, { owner: "other", now: afterLease(), watch: null })).toMatchObject({ journals: 0, alreadyApplied: 0 });
    expect(await dayTotals(id)).toEqual(expected);
  });

  it("never replays the journal of an owner that renews its heartbeat, whatever the clocks; replays it once the heartbeat stands still", async () => {
    freshJournal();
    const id = keyId();
    const expected = await recordMany(id, 90);
    const owner = usageInstanceIdForTests();
    let ms = 0;
    const watch = new OwnerWatch(() => ms);
    // A taker whose clock runs a day ahead: every lease looks long expired to it…
    const skewed = () => Date.now() + 24 * 60 * 60_000;
    // …while the owner renews its heartbeat every second, for three takeover periods.
    for (let beat = 1; beat <= 30; beat++) {
      await store.heartbeat(owner, String(beat));
      expect(await recoverUsageJournals(database.db, store, { owner: "taker", now: skewed(), watch })).toMatchObject({ journals: 0, live: 1 });
      ms += 1_000;
    }
    expect(pendingUsage()).toBe(90);
    expect(await totalsByGranularity(id)).toEqual({});
    // The owner stops renewing (it died, or its event loop is stuck): replayed after TAKEOVER_MS of watching, not before.
    const stoppedAt = ms - 1_000;
    for (;;) {
      const r = await recoverUsageJournals(database.db, store, { owner: "taker", now: skewed(), watch });
      if (r.journals > 0) {
        expect(r.entries).toBe(90);
        break;
      }
      expect(ms - stoppedAt).toBeLessThan(TAKEOVER_MS);
      ms += 1_000;
    }
    expect(ms - stoppedAt).toBe(TAKEOVER_MS);
    // The owner comes back and flushes: counted once (the replay's), and the stopped owner's heartbeat is dropped.
    await flushUsage(database.db);
    expect(await dayTotals(id)).toEqual(expected);
    expect(Object.keys(await store.beats())).toContain(owner);
    await recoverUsageJournals(database.db, store, { owner: "taker", now: skewed(), watch });
    expect(Object.keys(await store.beats())).not.toContain(owner);
  });

  it("a watch that could not look for a while (Redis down for everyone) starts over: an owner back to renewing is not taken over", async () => {
    freshJournal();
    const id = keyId();
    await recordMany(id, 10);
    const owner = usageInstanceIdForTests();
    let ms = 0;
    const watch = new OwnerWatch(() => ms);
    await store.heartbeat(owner, "1");
    const late = Date.now() + LEASE_MS + 60_000;
    await recoverUsageJournals(database.db, store, { owner: "taker", now: late, watch });
    // An outage: the taker's passes fail (and the owner cannot renew) for longer than TAKEOVER_MS.
    watch.interrupted();
    ms += TAKEOVER_MS * 3;
    // Back: the heartbeat has not moved yet, but the watch starts over instead of counting the outage as silence.
    expect(await recoverUsageJournals(database.db, store, { owner: "taker", now: late, watch })).toMatchObject({ journals: 0, live: 1 });
    ms += 1_000;
    await store.heartbeat(owner, "2");
    ms += TAKEOVER_MS - 2_000;
    expect(await recoverUsageJournals(database.db, store, { owner: "taker", now: late, watch })).toMatchObject({ journals: 0, live: 1 });
    // A skipped look (this process stalled) longer than the allowed gap proves nothing either.
    ms += TAKEOVER_MS + 5_000;
    expect(await recoverUsageJournals(database.db, store, { owner: "taker", now: late, watch })).toMatchObject({ journals: 0, live: 1 });
    await flushUsage(database.db);
    expect(await totalsByGranularity(id)).toEqual({ minute: 10, hour: 10, day: 10 });
  });

  it("stamps minutes on the cluster's clock: a process 90 s ahead of PostgreSQL files a request under PostgreSQL's minute", async () => {
    freshJournal();
    const id = keyId();
    const realMinute = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
    try {
      // What the skew check measures on a host whose clock is 90 s ahead: PostgreSQL's clock is 90 s behind it.
      setClockOffsets({ offsetMs: -90_000 });
      // 30 s into a minute on the real clock is 120 s on this host's: two minutes apart if stamped by the host's.
      const hostTime = new Date(realMinute + 30_000 + 90_000);
      await recordUsage({ keyId: id, projectId: "prj_j", endpoint: "GET /api/v1/ping", status: 200, latencyMs: 1, at: hostTime });
      // Its journal entry carries the same minute (a replay writes what a flush would).
      const [journal] = (await store.expired(afterLease(), 100)).filter((k) => k.includes(usageInstanceIdForTests()));
      expect(await store.read(journal)).toEqual([expect.stringContaining(`\t${realMinute / 60_000}\t200\t`)]);
      await flushUsage(database.db);
    } finally {
      setClockOffsets({ offsetMs: 0 });
    }
    const rows = await database.db
      .select({ bucket: usageRollups.bucket })
      .from(usageRollups)
      .where(and(eq(usageRollups.keyId, id), eq(usageRollups.granularity, "minute")));
    expect(rows.map((r) => r.bucket.getTime())).toEqual([realMinute]);
  });

  it.each([
    ["Redis is down (ioredis)", "ioredis"],
    ["the Upstash endpoint accepts connections but never answers", "upstash"],
  ] as const)("never holds a response past the deadline when %s, and still counts it (in memory)", async (_case, kind) => {
    const cleanup: (() => unknown)[] = [];
    if (kind === "ioredis") {
      const dead = new Redis("redis://127.0.0.1:1", redisOptions());
      dead.on("error", () => {});
      cleanup.push(() => dead.disconnect());
      setUsageJournal(new IoredisJournalStore(dead, `${inject("redisPrefix")}:usage-journal-dead`));
    } else {
      const sockets = new Set<Socket>();
      const silent = createServer((socket) => sockets.add(socket));
      await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
      cleanup.push(() => {
        for (const socket of sockets) socket.destroy();
        silent.close();
      });
      const { port } = silent.address() as AddressInfo;
      setUsageJournal(new UpstashJournalStore(upstashRestClient(`http://127.0.0.1:${port}`, "token"), `${inject("redisPrefix")}:usage-journal-dead`));
    }
    const id = keyId();
    const entry = () => ({ keyId: id, projectId: "prj_j", endpoint: "GET /api/v1/ping", status: 200, latencyMs: 1, at: new Date() });
    const started = performance.now();
    await Promise.all(Array.from({ length: 50 }, () => recordUsage(entry())));
    expect(performance.now() - started).toBeLessThan(APPEND_WAIT_MS + 300);
    // Known down (or paused after the failure): the next ones do not wait at all.
    const again = performance.now();
    for (let i = 0; i < 10; i++) await recordUsage(entry());
    expect(performance.now() - again).toBeLessThan(50);
    expect(pendingUsage()).toBe(60);
    await flushUsage(database.db);
    expect(await totalsByGranularity(id)).toEqual({ minute: 60, hour: 60, day: 60 });
    for (const c of cleanup) c();
  });
});
