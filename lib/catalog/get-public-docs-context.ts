// For the public API docs: personalised (the newest key's start and tier) when a developer is signed in, generic otherwise.
import "server-only";
import { getCurrentUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { sessionActor } from "../teams/authorize";
import { getDocsContext, type DocsContext } from "./get-docs-context";

export async function getPublicDocsContext(): Promise<DocsContext & { signedIn: boolean }> {
  const user = await getCurrentUser();
  if (!user) return { key: null, tier: null, signedIn: false };
  return { ...(await getDocsContext(await getDb(), { member: sessionActor(user) })), signedIn: true };
}
