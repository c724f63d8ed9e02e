// The zero-configuration path: embedded PGlite in a data directory, migrated, answering queries.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, expect, it } from "vitest";
import { openDatabase } from "../../../lib/db/client";
import { migrateDatabase } from "../../../lib/db/migrate";
import { tiers, users } from "../../../lib/db/schema";
import { createUser } from "../../../lib/users/create-user";
import { authenticateUser } from "../../../lib/auth/authenticate-user";

const dataDir = mkdtempSync(path.join(tmpdir(), "keyport-pglite-"));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it("opens PGlite under DATA_DIR, migrates, seeds tiers and signs a user in", async () => {
  const database = await openDatabase({ dataDir });
  try {
    expect(database.kind).toBe("pglite");
    await migrateDatabase(database);
    await migrateDatabase(database); // idempotent on restart
    const seeded = await database.db.select().from(tiers).orderBy(tiers.id);
    expect(seeded.map((t) => t.id)).toEqual(["tier_enterprise", "tier_free", "tier_pro"]);

    const user = await createUser(database.db, { input: { email: "Pg@Example.test", password: "embedded passphrase" }, ip: "127.0.0.1", adminEmails: [] });
    expect(user.email).toBe("pg@example.test");
    const ok = await authenticateUser(database.db, { email: "pg@example.test", password: "embedded passphrase", ip: "127.0.0.1", adminEmails: [] });
    expect(ok).toMatchObject({ ok: true, user: { id: user.id } });
    const bad = await authenticateUser(database.db, { email: "pg@example.test", password: "wrong passphrase", ip: "127.0.0.1", adminEmails: [] });
    expect(bad).toEqual({ ok: false, reason: "invalid" });
  } finally {
    await database.close();
  }
  // The data survives a reopen: it lives in the directory, not in memory.
  const again = await openDatabase({ dataDir });
  try {
    const [row] = await again.db.select().from(users).where(eq(users.email, "pg@example.test"));
    expect(row).toBeDefined();
  } finally {
    await again.close();
  }
});
