// Cross-instance invalidation of cached key state. Every change to a key, its owner, its project or a tier is
// published here after it commits; each instance drops what it cached. On PostgreSQL the bus is LISTEN/NOTIFY on a
// dedicated connection (reconnecting on failure); on PGlite the app is a single instance and delivery is local.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import pg from "pg";
import { noteDatabaseAnswered, summary } from "../db/availability";
import type { Database, Db } from "../db/client";
import { onShutdown } from "../lifecycle";
import { logger } from "../log";

export type Invalidation =
  | { type: "key"; keyId: string }
  | { type: "user"; userId: string }
  | { type: "project"; projectId: string }
  | { type: "tier"; tierId: string }
  /** The API registry changed (an API, its routes or forward secrets), or a service token was deleted. */
  | { type: "api" }
  | { type: "service-token"; tokenId: string };

type Listener = (event: Invalidation) => void;

export const INVALIDATION_CHANNEL = "keyport_invalidation";
const RECONNECT_MIN_MS = 250;
/** Short: until the listener is back, every key lookup goes to the database (the cache is bypassed). */
const RECONNECT_MAX_MS = 1_000;

/**
 * "none": nobody started a listener (tests, scripts: one process, local delivery is complete).
 * "local": PGlite, one instance. "connecting"/"down": PostgreSQL without a live LISTEN connection — caches must not
 * trust what they hold. "up": listening.
 */
type Mode = "none" | "local" | "connecting" | "down" | "up";

type Bus = {
  origin: string;
  listeners: Set<Listener>;
  mode: Mode;
  /** Bumped on every (re)connect: whatever was cached before may have missed events while we were deaf. */
  epoch: number;
  client: pg.Client | null;
  stopped: boolean;
  retryMs: number;
  /** Other channels this one connection carries (the events worker's wake-ups): channel → handlers. */
  channels?: Map<string, Set<ChannelHandler>>;
};

/** Called with a notification's payload; with null after every (re)connect, when notices may have been missed. */
export type ChannelHandler = (payload: string | null) => void;

// Shared by every module instance in the process (Next.js may load this module once per route bundle).
const bus = ((globalThis as { __keyportInvalidationBus?: Bus }).__keyportInvalidationBus ??= {
  origin: randomBytes(8).toString("hex"),
  listeners: new Set<Listener>(),
  mode: "none",
  epoch: 0,
  client: null,
  stopped: false,
  retryMs: RECONNECT_MIN_MS,
});

const channels = (bus.channels ??= new Map<string, Set<ChannelHandler>>());

/**
 * Subscribes to another NOTIFY channel on the same listening connection (one per instance). Only while the
 * listener is "up" does anything arrive; `listenerUp()` tells callers whether to rely on it or keep polling.
 */
export function onChannel(channel: string, handler: ChannelHandler): () => void {
  if (!/^[a-z_]+$/.test(channel)) throw new Error(`bad channel name: ${channel}`);
  let handlers = channels.get(channel);
  if (!handlers) {
    channels.set(channel, (handlers = new Set()));
    // Already connected: start listening now (a failure here is a lost connection, handled by its error event).
    if (bus.mode === "up") bus.client?.query(`listen ${channel}`).catch(() => {});
  }
  handlers.add(handler);
  return () => handlers.delete(handler);
}

/** Whether the listening connection is live, so NOTIFYs reach this instance. */
export function listenerUp(): boolean {
  return bus.mode === "up";
}

function deliverChannel(channel: string, payload: string | null): void {
  for (const handler of channels.get(channel) ?? []) {
    try {
      handler(payload);
    } catch (error) {
      logger.error({ err: error, channel }, "notification handler failed");
    }
  }
}

/** Subscribes to invalidations from this and every other instance. Returns an unsubscribe. */
export function onInvalidation(listener: Listener): () => void {
  bus.listeners.add(listener);
  return () => bus.listeners.delete(listener);
}

function deliver(event: Invalidation): void {
  for (const listener of bus.listeners) {
    try {
      listener(event);
    } catch (error) {
      logger.error({ err: error, event }, "invalidation listener failed");
    }
  }
}

/**
 * Announces a change to every instance. Call it after the change is committed. This instance's listeners run
 * before it returns; other instances hear it through NOTIFY within milliseconds.
 */
export async function publishInvalidation(db: Db, event: Invalidation): Promise<void> {
  deliver(event);
  try {
    await db.execute(sql`select pg_notify(${INVALIDATION_CHANNEL}, ${JSON.stringify({ origin: bus.origin, event })})`);
  } catch (error) {
    // The change itself is committed; other instances fall back to their cache TTL. Say so loudly.
    logger.error({ err: error, event }, "could not publish invalidation; other instances may serve stale key state up to the cache TTL");
  }
}

/** Whether cached key state can be trusted now, and the connection epoch it must have been cached in. */
export function invalidationBusStatus(): { trusted: boolean; epoch: number; mode: Mode; applicationName: string } {
  return {
    trusted: bus.mode === "none" || bus.mode === "local" || bus.mode === "up",
    epoch: bus.epoch,
    mode: bus.mode,
    applicationName: applicationName(),
  };
}

/** The listener connection's application_name, so operators (and tests) can tell it apart in pg_stat_activity. */
const applicationName = () => `keyport_invalidation_${bus.origin}`;

/** Starts listening for other instances' invalidations (idempotent). The app calls it with its own database. */
export function startInvalidationListener(database: Pick<Database, "kind" | "url">): void {
  if (bus.mode !== "none") return;
  if (database.kind !== "postgres" || !database.url) {
    bus.mode = "local";
    return;
  }
  bus.mode = "connecting";
  const url = database.url;
  onShutdown(async () => {
    bus.stopped = true;
    await bus.client?.end().catch(() => {});
  }, "close");
  void connect(url);
}

async function connect(url: string): Promise<void> {
  if (bus.stopped) return;
  bus.mode = "connecting";
  const client = new pg.Client({
    connectionString: url,
    keepAlive: true,
    connectionTimeoutMillis: 2_000,
    application_name: applicationName(),
  });
  const down = (error?: unknown) => {
    if (bus.client !== client && bus.client !== null) return;
    if (bus.mode === "down") return;
    const wasUp = bus.mode === "up";
    bus.client = null;
    bus.mode = "down";
    if (bus.stopped) return;
    // One line per disconnection, not one per failed reconnect (every RECONNECT_MAX_MS for as long as an outage lasts).
    if (wasUp) logger.warn({ err: summary(error), retryInMs: bus.retryMs }, "invalidation listener disconnected; key cache bypassed until it is back");
    client.end().catch(() => {});
    setTimeout(() => void connect(url), bus.retryMs).unref();
    bus.retryMs = Math.min(bus.retryMs * 2, RECONNECT_MAX_MS);
  };
  client.on("error", down);
  client.on("end", () => down());
  client.on("notification", (message) => {
    if (message.channel !== INVALIDATION_CHANNEL) return deliverChannel(message.channel, message.payload ?? "");
    if (!message.payload) return;
    try {
      const { origin, event } = JSON.parse(message.payload) as { origin: string; event: Invalidation };
      if (origin !== bus.origin) deliver(event);
    } catch {
      logger.warn("ignored a malformed invalidation message");
    }
  });
  try {
    bus.client = client;
    await client.connect();
    await client.query([INVALIDATION_CHANNEL, ...channels.keys()].map((c) => `listen ${c}`).join("; "));
    bus.epoch += 1;
    bus.mode = "up";
    bus.retryMs = RECONNECT_MIN_MS;
    logger.info("invalidation listener connected");
    // Notifications flow again (dropping cache entries of keys changed meanwhile): the pool's view should catch up now.
    void noteDatabaseAnswered();
    // Whatever was notified while this instance was deaf is only in the tables: let every channel's handler look.
    for (const channel of channels.keys()) deliverChannel(channel, null);
  } catch (error) {
    down(error);
  }
}
