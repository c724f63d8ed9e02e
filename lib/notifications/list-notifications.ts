// The signed-in user's in-portal notifications, newest first, with the unread count for the bell.
import { and, count, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { notifications } from "../db/schema";

export type NotificationJson = { id: string; kind: string; title: string; body: string | null; link: string | null; createdAt: string; readAt: string | null };

export async function listNotifications(db: Db, { userId, limit = 50 }: { userId: string; limit?: number }): Promise<{ notifications: NotificationJson[]; unread: number }> {
  const rows = await db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.createdAt)).limit(limit);
  const [unread] = await db.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return {
    unread: Number(unread?.n ?? 0),
    notifications: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      body: r.body,
      link: r.link,
      createdAt: r.createdAt.toISOString(),
      readAt: r.readAt ? r.readAt.toISOString() : null,
    })),
  };
}
