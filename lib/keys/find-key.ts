// The one place that loads a key for a change or a read. A member reaches a key only through the authorization rule
// (lib/teams/authorize.ts: their team role on the key's project); only admin tools pass `member: null`.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, type ApiKey, type TeamRole } from "../db/schema";
import { ApiError } from "../http/errors";
import { authorizeKey, type Actor, type TeamAction } from "../teams/authorize";

export type FindKeyOptions = {
  keyId: string;
  /** The member acting and what they are about to do; null only for site-admin operations (any key, any project). */
  member: { actor: Actor; action: TeamAction } | null;
  /** Row-lock the key for the rest of the transaction (changes that read-then-write). */
  forUpdate?: boolean;
};

/** The key row with the acting member's team and role (null for admins), or 404 not_found / 403 forbidden. */
export async function findKeyAs(db: Db, options: FindKeyOptions): Promise<{ key: ApiKey; teamId: string | null; role: TeamRole | null }> {
  const allowed = options.member ? await authorizeKey(db, { actor: options.member.actor, keyId: options.keyId, action: options.member.action }) : null;
  const query = db.select().from(apiKeys).where(eq(apiKeys.id, options.keyId));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw new ApiError("not_found", "No such key.");
  return { key: row, teamId: allowed?.teamId ?? null, role: allowed?.role ?? null };
}

/** The key row, or 404 not_found (the same answer for "missing" and "not in your teams"), or 403 forbidden. */
export async function findKey(db: Db, options: FindKeyOptions): Promise<ApiKey> {
  return (await findKeyAs(db, options)).key;
}
