// Marks the user's notifications read: the listed ids, or all of them. Other users' ids are silently ignored.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { notifications } from "../db/schema";

export const markReadInput = z.object({ ids: z.array(z.string().max(64)).max(100).optional() }).strict();

export async function markNotificationsRead(db: Db, { userId, ids }: { userId: string; ids?: string[] }): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), ids ? inArray(notifications.id, ids) : undefined))
    .returning({ id: notifications.id });
  return rows.length;
}
