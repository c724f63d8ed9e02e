// Where the usage journal lives: a Redis list per buffer segment (one entry per answered request); one sorted set,
// the registry, scoring each list by its owner's lease (ms since the epoch on the cluster's clock, PostgreSQL's); and
// one hash of heartbeats, owner → a counter it bumps every flush tick. A list may be replayed by another instance only
// when its lease has passed AND that instance has watched the owner's heartbeat stand still (owner-watch.ts): the
// lease alone compares clocks, the heartbeat compares nothing.
// Two implementations with the same behavior (tests/integration/usage/journal-store.test.ts): ioredis (REDIS_URL)
// and the @upstash/redis REST client (UPSTASH_REDIS_REST_*).
import type Redis from "ioredis";
import type { Redis as UpstashRedis } from "@upstash/redis";
import { env, limiterMode } from "../env";
import { getUpstashRest } from "../ratelimit/get-limiter-store";
import { getRedis, redisKey, redisUsable } from "../redis/client";

export interface JournalStore {
  readonly kind: "redis" | "upstash";
  /** The list of one segment of one process. */
  journalKey(instanceId: string, segment: number): string;
  /** False while the connection is known to be down: callers skip the round trip instead of queueing behind it. */
  usable(): boolean;
  /** Registers the list with its lease, then appends the entries, in one round trip. */
  append(journalKey: string, entries: string[], leaseUntil: number): Promise<void>;
  /**
   * Appends without registering: for a list whose registration was acknowledged (one command fewer on the hot
   * path). The caller registers again after a push that failed or was acknowledged late, so a list never stays
   * unregistered: one re-created after its segment was applied and removed is found later, seen applied, deleted.
   */
  push(journalKey: string, entries: string[]): Promise<void>;
  /** Registers (or re-registers) a list with a lease. */
  register(journalKey: string, leaseUntil: number): Promise<void>;
  /** Moves the leases of lists still registered (a removed list is not brought back). */
  refresh(journalKeys: string[], leaseUntil: number): Promise<void>;
  /** Up to `limit` registered lists whose lease ended at or before `now`. */
  expired(now: number, limit: number): Promise<string[]>;
  /** Takes the right to replay a list for `ms`; false when someone else holds it. */
  claim(journalKey: string, owner: string, ms: number): Promise<boolean>;
  read(journalKey: string): Promise<string[]>;
  /** Deletes the lists and their claims and unregisters them. */
  remove(journalKeys: string[]): Promise<void>;
  /** The process that owns a list (the instance id in its key), or null for a key of another shape. */
  ownerOf(journalKey: string): string | null;
  /** Sets this process's heartbeat (a value that changes every renewal). */
  heartbeat(instanceId: string, beat: string): Promise<void>;
  /** Every heartbeat: owner → beat. */
  beats(): Promise<Record<string, string>>;
  /** Drops the heartbeats of owners that are gone (their journals replayed, or a clean shutdown). */
  forgetOwners(instanceIds: string[]): Promise<void>;
}

abstract class BaseJournalStore {
  protected readonly registry: string;
  protected readonly heartbeats: string;

  constructor(protected readonly prefix: string) {
    this.registry = `${prefix}:journals`;
    this.heartbeats = `${prefix}:journal-heartbeats`;
  }

  journalKey(instanceId: string, segment: number): string {
    return `${this.prefix}:journal:${instanceId}:${segment}`;
  }

  ownerOf(journalKey: string): string | null {
    const head = `${this.prefix}:journal:`;
    if (!journalKey.startsWith(head)) return null;
    const rest = journalKey.slice(head.length);
    const colon = rest.lastIndexOf(":");
    return colon > 0 ? rest.slice(0, colon) : null;
  }

  protected claimKey(journalKey: string): string {
    return `${journalKey}:claim`;
  }
}

export class IoredisJournalStore extends BaseJournalStore implements JournalStore {
  readonly kind = "redis";

  constructor(
    private readonly client: Redis,
    prefix: string,
  ) {
    super(prefix);
  }

  usable(): boolean {
    return redisUsable(this.client);
  }

  async append(journalKey: string, entries: string[], leaseUntil: number): Promise<void> {
    // Two plain commands, sent together by auto-pipelining (cheaper than a pipeline object, and no MULTI): one
    // connection runs them in order, so the list is never there without its registration; the reverse (registered,
    // nothing appended) is harmless.
    await Promise.all([this.client.zadd(this.registry, leaseUntil, journalKey), this.client.rpush(journalKey, ...entries)]);
  }

  async push(journalKey: string, entries: string[]): Promise<void> {
    await this.client.rpush(journalKey, ...entries);
  }

  async register(journalKey: string, leaseUntil: number): Promise<void> {
    await this.client.zadd(this.registry, leaseUntil, journalKey);
  }

  async refresh(journalKeys: string[], leaseUntil: number): Promise<void> {
    if (journalKeys.length === 0) return;
    await this.client.zadd(this.registry, "XX", ...journalKeys.flatMap((k) => [leaseUntil, k]));
  }

  expired(now: number, limit: number): Promise<string[]> {
    return this.client.zrangebyscore(this.registry, "-inf", now, "LIMIT", 0, limit);
  }

  async claim(journalKey: string, owner: string, ms: number): Promise<boolean> {
    return (await this.client.set(this.claimKey(journalKey), owner, "PX", ms, "NX")) === "OK";
  }

  read(journalKey: string): Promise<string[]> {
    return this.client.lrange(journalKey, 0, -1);
  }

  async remove(journalKeys: string[]): Promise<void> {
    if (journalKeys.length === 0) return;
    const claims = journalKeys.map((k) => this.claimKey(k));
    await exec(this.client.multi().del(...journalKeys, ...claims).zrem(this.registry, ...journalKeys));
  }

  async heartbeat(instanceId: string, beat: string): Promise<void> {
    await this.client.hset(this.heartbeats, instanceId, beat);
  }

  beats(): Promise<Record<string, string>> {
    return this.client.hgetall(this.heartbeats);
  }

  async forgetOwners(instanceIds: string[]): Promise<void> {
    if (instanceIds.length > 0) await this.client.hdel(this.heartbeats, ...instanceIds);
  }
}

/** ioredis reports a failed command in a pipeline or MULTI as a result, not a rejection. */
async function exec(batch: ReturnType<Redis["pipeline"]>): Promise<void> {
  const results = await batch.exec();
  if (!results) throw new Error("Redis transaction aborted");
  for (const [error] of results) if (error) throw error;
}

export class UpstashJournalStore extends BaseJournalStore implements JournalStore {
  readonly kind = "upstash";

  constructor(
    private readonly client: UpstashRedis,
    prefix: string,
  ) {
    super(prefix);
  }

  /** REST has no connection to watch; the caller's deadline bounds an unreachable endpoint. */
  usable(): boolean {
    return true;
  }

  async append(journalKey: string, entries: string[], leaseUntil: number): Promise<void> {
    // POST /multi-exec: one request, applied atomically; exec() throws if a command failed.
    await this.client.multi().zadd(this.registry, { score: leaseUntil, member: journalKey }).rpush(journalKey, ...entries).exec();
  }

  async push(journalKey: string, entries: string[]): Promise<void> {
    await this.client.rpush(journalKey, ...entries);
  }

  async register(journalKey: string, leaseUntil: number): Promise<void> {
    await this.client.zadd(this.registry, { score: leaseUntil, member: journalKey });
  }

  async refresh(journalKeys: string[], leaseUntil: number): Promise<void> {
    const [first, ...rest] = journalKeys.map((member) => ({ score: leaseUntil, member }));
    if (!first) return;
    await this.client.zadd(this.registry, { xx: true }, first, ...rest);
  }

  async expired(now: number, limit: number): Promise<string[]> {
    const keys = await this.client.zrange<unknown[]>(this.registry, "-inf", now, { byScore: true, offset: 0, count: limit });
    return keys.map(String);
  }

  async claim(journalKey: string, owner: string, ms: number): Promise<boolean> {
    return (await this.client.set(this.claimKey(journalKey), owner, { nx: true, px: ms })) === "OK";
  }

  async read(journalKey: string): Promise<string[]> {
    // Entries never parse as JSON (journal-entry.ts), so the client's automatic deserialization leaves them strings.
    return (await this.client.lrange<unknown>(journalKey, 0, -1)).map(String);
  }

  async remove(journalKeys: string[]): Promise<void> {
    if (journalKeys.length === 0) return;
    const claims = journalKeys.map((k) => this.claimKey(k));
    await this.client.multi().del(...journalKeys, ...claims).zrem(this.registry, ...journalKeys).exec();
  }

  async heartbeat(instanceId: string, beat: string): Promise<void> {
    await this.client.hset(this.heartbeats, { [instanceId]: beat });
  }

  async beats(): Promise<Record<string, string>> {
    // The client answers null for an empty hash, and JSON-parses values it can (a counter comes back a number).
    const all = (await this.client.hgetall<Record<string, unknown>>(this.heartbeats)) ?? {};
    return Object.fromEntries(Object.entries(all).map(([owner, beat]) => [owner, String(beat)]));
  }

  async forgetOwners(instanceIds: string[]): Promise<void> {
    const [first, ...rest] = instanceIds;
    if (first) await this.client.hdel(this.heartbeats, first, ...rest);
  }
}

type Holder = { store?: JournalStore | null };
const holder = ((globalThis as { __keyportUsageJournalStore?: Holder }).__keyportUsageJournalStore ??= {});

/** The process's journal store, chosen like the limiter store; null in the in-process mode (no journal). */
export function getJournalStore(): JournalStore | null {
  if (holder.store !== undefined) return holder.store;
  const mode = limiterMode(env());
  const prefix = redisKey("usage");
  if (mode === "redis") holder.store = new IoredisJournalStore(getRedis()!, prefix);
  else if (mode === "upstash") holder.store = new UpstashJournalStore(getUpstashRest(), prefix);
  else holder.store = null;
  return holder.store;
}
