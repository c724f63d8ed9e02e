// One database handle for the app: PostgreSQL when DATABASE_URL is set, embedded PGlite under DATA_DIR otherwise.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import { env } from "../env";
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

export type DatabaseOptions = { url?: string; dataDir?: string; max?: number };

/** Opens a new database handle. Tests and scripts call this with their own URL; the app uses getDatabase(). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      connectionTimeoutMillis: 2_000,
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
