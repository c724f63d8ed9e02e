// For the docs page: what it personalises for the signed-in developer (pages never touch the database themselves).
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { sessionActor } from "../teams/authorize";
import { getDocsContext, type DocsContext } from "./get-docs-context";

export async function getMyDocsContext(): Promise<DocsContext> {
  const user = await requireUser();
  return getDocsContext(await getDb(), { member: sessionActor(user) });
}
