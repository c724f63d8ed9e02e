// Per-user email switches per notification kind. No row means on; the in-portal notification is always written.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { notificationPreferences } from "../db/schema";
import { NOTIFICATION_KINDS, NOTIFICATION_KIND_LABELS, type NotificationKind } from "../events/event-types";

export type PreferenceJson = { kind: NotificationKind; label: string; email: boolean };

export const setPreferencesInput = z
  .object({ preferences: z.array(z.object({ kind: z.enum(NOTIFICATION_KINDS), email: z.boolean() }).strict()).min(1).max(NOTIFICATION_KINDS.length) })
  .strict();

export async function getNotificationPreferences(db: Db, { userId }: { userId: string }): Promise<PreferenceJson[]> {
  const rows = await db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  const byKind = new Map(rows.map((r) => [r.kind, r.email]));
  return NOTIFICATION_KINDS.map((kind) => ({ kind, label: NOTIFICATION_KIND_LABELS[kind], email: byKind.get(kind) ?? true }));
}

export async function setNotificationPreferences(
  db: Db,
  { userId, input }: { userId: string; input: z.infer<typeof setPreferencesInput> },
): Promise<PreferenceJson[]> {
  for (const { kind, email } of input.preferences) {
    await db
      .insert(notificationPreferences)
      .values({ userId, kind, email })
      .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind], set: { email } });
  }
  return getNotificationPreferences(db, { userId });
}
