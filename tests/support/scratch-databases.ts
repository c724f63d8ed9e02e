// Throwaway databases for migration tests, on both drivers, and a copy of drizzle/ cut before a given migration so
// the migrator builds the schema as it was. Everything made here is removed by the cleanups the caller runs.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { sql } from "drizzle-orm";
import pg from "pg";
import { openDatabase, type Database } from "../../lib/db/client";
import { ADMIN_DATABASE_URL, uniqueSuffix } from "./databases";

export type Cleanups = (() => Promise<void>)[];

/** A copy of drizzle/ whose journal keeps only the migrations before `firstLeftOut`; returns their tags and the folder. */
export function migrationsBefore(firstLeftOut: string, cleanups: Cleanups): { dir: string; tags: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "keyport-migrations-"));
  cpSync(path.resolve("drizzle"), dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag < firstLeftOut);
  writeFileSync(journalPath, JSON.stringify(journal));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return { dir, tags: journal.entries.map((e) => e.tag) };
}

async function admin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

/** A new, empty PostgreSQL database (dropped by the cleanups). */
export async function scratchPostgres(label: string, cleanups: Cleanups): Promise<Database> {
  const name = `keyport_${label}_${uniqueSuffix()}`;
  await admin(`create database "${name}"`);
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), max: 2 });
  cleanups.push(async () => {
    await database.close();
    await admin(`drop database if exists "${name}" with (force)`);
  });
  return database;
}

/** A new, empty PGlite database in a temporary folder (removed by the cleanups). */
export async function scratchPglite(label: string, cleanups: Cleanups): Promise<Database> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `keyport-pglite-${label}-`));
  const database = await openDatabase({ dataDir });
  cleanups.push(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return database;
}

type Rows<T> = { rows: T[] };
/** The rows of a raw query, on either driver. */
export const rows = async <T>(database: Database, query: ReturnType<typeof sql>) => ((await database.db.execute(query)) as unknown as Rows<T>).rows;
