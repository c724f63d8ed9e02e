import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { managementTokens } from "../db/schema";
import { toTokenJson, type TokenJson } from "./token-json";

/** The user's tokens that have not been deleted, newest first. */
export async function listTokens(db: Db, { userId }: { userId: string }): Promise<TokenJson[]> {
  const rows = await db
    .select()
    .from(managementTokens)
    .where(and(eq(managementTokens.userId, userId), isNull(managementTokens.revokedAt)))
    .orderBy(desc(managementTokens.createdAt));
  return rows.map(toTokenJson);
}
