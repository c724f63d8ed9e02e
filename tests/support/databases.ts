// Test databases: each run creates its own PostgreSQL database from the server's admin connection and drops it after.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../lib/db/client";
import { migrateDatabase } from "../../lib/db/migrate";

export const ADMIN_DATABASE_URL = process.env.TEST_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export const uniqueSuffix = () => `${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;

function urlFor(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates and migrates a fresh database; returns its URL. */
export async function createTestDatabase(label: string): Promise<string> {
  const name = `keyport_${label}_${uniqueSuffix()}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  await admin((c) => c.query(`create database "${name}"`));
  const url = urlFor(name);
  const database = await openDatabase({ url, max: 2 });
  try {
    await migrateDatabase(database);
  } finally {
    await database.close();
  }
  return url;
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!name.startsWith("keyport_")) throw new Error(`refusing to drop ${name}`);
  await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
}

/** Opens the run's database (created by the global setup) for a test file. */
export function openTestDatabase(url: string): Promise<Database> {
  return openDatabase({ url, max: 4 });
}
