// Applies the committed SQL migrations in drizzle/ (which also seed the tiers). Safe to run from several instances.
import path from "node:path";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import type { Database } from "./client";
import { preparePartitioning, undoPartitioningPreparation } from "./prepare-partitions";

const MIGRATION_LOCK = 4_242_001;

export async function migrateDatabase(database: Database, migrationsFolder = path.resolve("drizzle")): Promise<void> {
  if (database.kind === "pglite" || !database.url) {
    // The drizzle types differ per driver; at runtime this handle is the PGlite one.
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  // Several instances starting together: one applies, the others wait on the lock and then find nothing to do.
  const lock = new pg.Client({ connectionString: database.url });
  await lock.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await preparePartitioning(lock);
      await migratePg(database.db as never, { migrationsFolder });
    } catch (error) {
      await undoPartitioningPreparation(lock).catch(() => {});
      throw error;
    }
  } finally {
    await lock.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    await lock.end();
  }
}
