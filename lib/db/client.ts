// One database handle for the app: PostgreSQL when DATABASE_URL is set, embedded PGlite under DATA_DIR otherwise.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import { env } from "../env";
import { runningDeadline } from "./running-deadline";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbKind = "postgres" | "pglite";

export type Database = {
  db: Db;
  kind: DbKind;
  /** The connection string, for code that needs its own connection (LISTEN/NOTIFY). Undefined for PGlite. */
  url?: string;
  /** Cheap round trip, for readiness checks. */
  ping: () => Promise<void>;
  /**
   * Opens up to `connections` pooled connections ahead of the first requests (PostgreSQL; a no-op on PGlite): a cold
   * instance's first burst then waits for no connection set-up, which on a loaded host can outlast the pool's
   * connection timeout and answer 503s while the database is fine.
   */
  warm: (connections: number) => Promise<void>;
  /** PGlite only: LISTEN on the embedded database itself (PostgreSQL listens on a connection of its own, see url). */
  listen?: (channel: string, onNotice: (payload: string) => void) => Promise<() => Promise<void>>;
  close: () => Promise<void>;
};

/** How long a request waits for a pooled connection, in time this process could run (lib/db/running-deadline.ts). */
const CONNECT_DEADLINE_MS = 2_000;
/** node-postgres's own connect timeout, on wall time: only a backstop that frees a connection attempt that hangs. */
const CONNECT_BACKSTOP_MS = 5_000;

type Done = (release?: unknown) => void;
type ConnectCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: Done) => void;

/**
 * node-postgres's pool with a connect deadline that a stalled event loop does not spend: its wall-time timer fired in
 * the same turn as a connection that was ready, so a busy host's cold instance marked a healthy database down and
 * answered 503. `pool.query` takes its connection through `connect` too. A connection that arrives after the deadline
 * answered goes back to the pool.
 */
class DeadlinePool extends pg.Pool {
  connect(): Promise<pg.PoolClient>;
  connect(callback: ConnectCallback): void;
  connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    const attempt = new Promise<{ client: pg.PoolClient; done: Done }>((resolve, reject) => {
      let settled = false;
      const deadline = runningDeadline(CONNECT_DEADLINE_MS, () => {
        if (settled) return;
        settled = true;
        reject(new Error("timeout exceeded when trying to connect"));
      });
      super.connect((err, client, done) => {
        deadline.cancel();
        if (settled) {
          if (client) done();
          return;
        }
        settled = true;
        if (err || !client) reject(err ?? new Error("no client"));
        else resolve({ client, done });
      });
    });
    if (!callback) return attempt.then((r) => r.client);
    attempt.then(
      (r) => callback(undefined, r.client, r.done),
      (error: Error) => callback(error, undefined, () => {}),
    );
  }
}

export type DatabaseOptions = { url?: string; dataDir?: string; max?: number };

/** Opens a new database handle. Tests and scripts call this with their own URL; the app uses getDatabase(). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new DeadlinePool({
      connectionString: options.url,
      max: options.max ?? 10,
      connectionTimeoutMillis: CONNECT_BACKSTOP_MS,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on("error", () => {});
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      url: options.url,
      ping: async () => {
        await pool.query("select 1");
      },
      warm: async (connections) => {
        const clients = await Promise.allSettled(Array.from({ length: Math.min(connections, options.max ?? 10) }, () => pool.connect()));
        for (const c of clients) if (c.status === "fulfilled") c.value.release();
      },
      close: () => pool.end(),
    };
  }
  const dataDir = path.resolve(options.dataDir ?? "./.data", "pglite");
  mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    ping: async () => {
      await client.query("select 1");
    },
    warm: async () => {},
    listen: (channel, onNotice) => client.listen(channel, onNotice),
    close: () => client.close(),
  };
}

type Holder = { database?: Promise<Database> };
// Kept on globalThis: Next.js may evaluate this module once per route bundle, and PGlite allows one opener.
const holder = ((globalThis as { __keyportDb?: Holder }).__keyportDb ??= {});

/** The app's shared database handle, opened on first use from the environment. */
export function getDatabase(): Promise<Database> {
  if (!holder.database) {
    const e = env();
    holder.database = openDatabase({ url: e.DATABASE_URL, dataDir: e.DATA_DIR }).catch((error) => {
      holder.database = undefined;
      throw error;
    });
  }
  return holder.database;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

export async function closeDatabase(): Promise<void> {
  const current = holder.database;
  holder.database = undefined;
  if (current) await (await current).close();
}
