// Owners and projects for domain-level key tests, written straight to the run's database (HTTP tests sign up instead).
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../../../lib/db/client";
import { newId } from "../../../lib/db/ids";
import { projects, users } from "../../../lib/db/schema";
import { createKey, type CreateKeyInput } from "../../../lib/keys/create-key";
import { publishInvalidation } from "../../../lib/keys/invalidation";
import { ensurePersonalTeam } from "../../../lib/teams/ensure-personal-team";

export type Owner = { id: string; email: string; projectId: string };

export async function createOwner(db: Db): Promise<Owner> {
  const id = newId("usr");
  const email = `owner-${randomBytes(6).toString("hex")}@example.test`;
  await db.insert(users).values({ id, email, passwordHash: "not-a-real-hash" });
  const projectId = newId("prj");
  const teamId = await ensurePersonalTeam(db, { id: id, email, name: null });
  await db.insert(projects).values({ id: projectId, ownerId: id, teamId, name: "Test project" });
  return { id, email, projectId };
}

export async function issueKey(db: Db, owner: Owner, input: Partial<CreateKeyInput> = {}, now?: Date) {
  return createKey(db, {
    projectId: owner.projectId,
    member: { user: { id: owner.id }, access: "session" },
    actor: { id: owner.id, email: owner.email },
    ip: "127.0.0.1",
    input: { name: "test key", scopes: [], environment: "live", ipAllowlist: [], ...input },
    now,
  });
}

/** What an admin suspension does: set the flag and announce it. */
export async function suspendOwner(db: Db, owner: Owner, suspended = true): Promise<void> {
  await db.update(users).set({ suspendedAt: suspended ? new Date() : null }).where(eq(users.id, owner.id));
  await publishInvalidation(db, { type: "user", userId: owner.id });
}
