import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys } from "../db/schema";
import { authorizeProject, type Actor } from "../teams/authorize";
import { loadKeyRecords } from "./load-key-records";
import { withLiveCredits } from "../credits/credits-json";
import { serializeKey, type KeyJson } from "./serialize-key";

/** A project's keys, newest first (console keys of the docs' try-it are not among them); 404 unless the member's team owns the project. */
export async function listKeys(db: Db, options: { projectId: string; member: Actor; now?: Date }): Promise<KeyJson[]> {
  const now = options.now ?? new Date();
  const { project } = await authorizeProject(db, { actor: options.member, projectId: options.projectId, action: "read" });
  const keys = await db.select().from(apiKeys).where(and(eq(apiKeys.projectId, project.id), eq(apiKeys.kind, "standard"))).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  const records = await loadKeyRecords(db, keys, now);
  return withLiveCredits(
    "key",
    records.map((r) => serializeKey(r, now)),
    new Map(keys.map((k) => [k.id, k])),
  );
}
