// Migration 0003 on a database that already has users and projects: each user gets a personal team (id derived from
// the user id, named after the user), is its owner, and their projects (deleted ones too) move into it. Run on both
// drivers: PostgreSQL and the embedded PGlite.
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../../lib/db/migrate";
import { personalTeamId } from "../../../lib/teams/ensure-personal-team";
import { migrationsBefore, rows, scratchPglite, scratchPostgres, type Cleanups } from "../../support/scratch-databases";

const REAL = path.resolve("drizzle");
const cleanups: Cleanups = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A copy of drizzle/ whose journal stops after 0002, so the migrator applies only the schema before teams. */
function migrationsUpTo0002(): string {
  const { dir, tags } = migrationsBefore("0003", cleanups);
  expect(tags).toEqual(["0000_init", "0001_seed_tiers", "0002_usage_journal"]);
  return dir;
}
const postgresDatabase = () => scratchPostgres("migration", cleanups);
const pgliteDatabase = () => scratchPglite("migration", cleanups);

describe.each([
  ["PostgreSQL", postgresDatabase],
  ["PGlite", pgliteDatabase],
])("migration 0003 on %s", (_name, open) => {
  it("moves every existing user's projects into a personal team they own", async () => {
    const database = await open();
    await migrateDatabase(database, migrationsUpTo0002());
    // The schema before teams: no teams table, projects without team_id.
    expect(await rows(database, sql`select to_regclass('public.teams') as t`)).toEqual([{ t: null }]);

    await database.db.execute(sql`insert into users (id, email, password_hash, name) values
      ('usr_alice0000000000000001', 'alice@example.test', 'x', 'Alice O''Neil'),
      ('usr_bob00000000000000002', 'bob.builder@example.test', 'x', null),
      ('usr_carol000000000000003', 'carol@example.test', 'x', '')`);
    await database.db.execute(sql`insert into projects (id, owner_id, name, deleted_at) values
      ('prj_a1', 'usr_alice0000000000000001', 'Alice one', null),
      ('prj_a2', 'usr_alice0000000000000001', 'Alice two', null),
      ('prj_b1', 'usr_bob00000000000000002', 'Bob one', now())`);

    await migrateDatabase(database, REAL);

    const teams = await rows<{ id: string; name: string; personal_of: string }>(database, sql`select id, name, personal_of from teams order by id`);
    expect(teams).toEqual([
      { id: "team_alice0000000000000001", name: "Alice O'Neil's team", personal_of: "usr_alice0000000000000001" },
      { id: "team_bob00000000000000002", name: "bob.builder's team", personal_of: "usr_bob00000000000000002" },
      { id: "team_carol000000000000003", name: "carol's team", personal_of: "usr_carol000000000000003" },
    ]);
    // The app derives the same id, so sign-in after the migration finds the migrated team.
    expect(teams.map((t) => t.id)).toEqual(teams.map((t) => personalTeamId(t.personal_of)));

    const members = await rows<{ team_id: string; user_id: string; role: string }>(database, sql`select team_id, user_id, role from team_members order by team_id`);
    expect(members).toEqual(teams.map((t) => ({ team_id: t.id, user_id: t.personal_of, role: "owner" })));

    const projects = await rows<{ id: string; team_id: string }>(database, sql`select id, team_id from projects order by id`);
    expect(projects).toEqual([
      { id: "prj_a1", team_id: "team_alice0000000000000001" },
      { id: "prj_a2", team_id: "team_alice0000000000000001" },
      { id: "prj_b1", team_id: "team_bob00000000000000002" },
    ]);
    // team_id is now required: a project can no longer be made without a team.
    await expect(database.db.execute(sql`insert into projects (id, owner_id, name) values ('prj_x', 'usr_carol000000000000003', 'x')`)).rejects.toThrow();
    // Existing tokens keep working as write tokens.
    expect(await rows(database, sql`select column_default from information_schema.columns where table_name = 'management_tokens' and column_name = 'access'`)).toEqual([
      { column_default: "'write'::text" },
    ]);
  });
});
