// The cross-instance invalidation bus on real PostgreSQL: other instances' NOTIFYs arrive, our own are not delivered
// twice, and a lost LISTEN connection is noticed (caches stop trusting themselves) and re-established.
import pg from "pg";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import {
  INVALIDATION_CHANNEL,
  invalidationBusStatus,
  onInvalidation,
  publishInvalidation,
  startInvalidationListener,
  type Invalidation,
} from "../../../lib/keys/invalidation";
import { runShutdownHooks } from "../../../lib/lifecycle";
import { openTestDatabase } from "../../support/databases";

let database: Database;
let other: pg.Client;
const received: Invalidation[] = [];
const OURS = new Set(["key_remote", "usr_local", "tier_marker", "prj_after_reconnect"]);

async function until(condition: () => boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
  other = new pg.Client({ connectionString: inject("databaseUrl") });
  await other.connect();
  // Only this file's events: app servers of other test files share the database and announce their own.
  onInvalidation((event) => {
    if (Object.values(event).some((v) => OURS.has(v))) received.push(event);
  });
  startInvalidationListener(database);
  await until(() => invalidationBusStatus().mode === "up");
});

afterAll(async () => {
  await runShutdownHooks(); // closes the listener connection
  await other?.end();
  await database?.close();
});

const notifyFromElsewhere = (event: Invalidation) =>
  other.query("select pg_notify($1, $2)", [INVALIDATION_CHANNEL, JSON.stringify({ origin: "another-instance", event })]);

it("delivers another instance's announcements", async () => {
  received.length = 0;
  await notifyFromElsewhere({ type: "key", keyId: "key_remote" });
  await until(() => received.length > 0, 1_000);
  expect(received).toEqual([{ type: "key", keyId: "key_remote" }]);
});

it("delivers this instance's own announcements once, locally", async () => {
  received.length = 0;
  await publishInvalidation(database.db, { type: "user", userId: "usr_local" });
  expect(received).toEqual([{ type: "user", userId: "usr_local" }]);
  await notifyFromElsewhere({ type: "tier", tierId: "tier_marker" }); // everything before it has arrived once it does
  await until(() => received.length > 1, 1_000);
  expect(received).toEqual([
    { type: "user", userId: "usr_local" },
    { type: "tier", tierId: "tier_marker" },
  ]);
});

it("notices a dropped connection, stops trusting caches, and reconnects with a new epoch", async () => {
  const before = invalidationBusStatus();
  expect(before).toMatchObject({ trusted: true, mode: "up" });
  // Only this process's listener: app servers of other test files share the database.
  const killed = await other.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1", [
    before.applicationName,
  ]);
  expect(killed.rowCount).toBeGreaterThan(0);
  await until(() => !invalidationBusStatus().trusted, 2_000);
  await until(() => invalidationBusStatus().mode === "up", 10_000);
  expect(invalidationBusStatus().epoch).toBeGreaterThan(before.epoch);

  received.length = 0;
  await notifyFromElsewhere({ type: "project", projectId: "prj_after_reconnect" });
  await until(() => received.length > 0, 1_000);
  expect(received).toEqual([{ type: "project", projectId: "prj_after_reconnect" }]);
});
