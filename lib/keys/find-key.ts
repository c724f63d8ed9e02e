// The one place that decides whose key is whose: a developer reaches only keys of their own live projects.
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, projects, type ApiKey } from "../db/schema";
import { ApiError } from "../http/errors";

export type FindKeyOptions = {
  keyId: string;
  /** The owner the key must belong to; null only for admin operations (any key, any project). */
  ownerId: string | null;
  /** Row-lock the key for the rest of the transaction (changes that read-then-write). */
  forUpdate?: boolean;
};

/** The key row, or 404 not_found (the same answer for "missing" and "someone else's"). */
export async function findKey(db: Db, options: FindKeyOptions): Promise<ApiKey> {
  const conditions = [eq(apiKeys.id, options.keyId)];
  if (options.ownerId !== null) conditions.push(eq(projects.ownerId, options.ownerId), isNull(projects.deletedAt));
  const query = db
    .select({ key: apiKeys })
    .from(apiKeys)
    .innerJoin(projects, eq(projects.id, apiKeys.projectId))
    .where(and(...conditions));
  const [row] = options.forUpdate ? await query.for("update", { of: apiKeys }) : await query;
  if (!row) throw new ApiError("not_found", "No such key.");
  return row.key;
}
