// Where and when a leak report found a key, for its page ("leaked at <url>"). Kept out of the contract's Key JSON.
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb, type Db } from "../db/client";
import { authorizeKey, sessionActor, type Actor } from "../teams/authorize";

export type KeyLeak = { at: string; url: string | null } | null;

export async function getKeyLeak(db: Db, { keyId, member }: { keyId: string; member: Actor }): Promise<KeyLeak> {
  const { key } = await authorizeKey(db, { actor: member, keyId, action: "read" });
  return key.leakedAt ? { at: key.leakedAt.toISOString(), url: key.leakedUrl } : null;
}

/** For pages: the signed-in member's view of a key's leak. */
export async function getMyKeyLeak({ keyId }: { keyId: string }): Promise<KeyLeak> {
  const user = await requireUser();
  return getKeyLeak(await getDb(), { keyId, member: sessionActor(user) });
}
