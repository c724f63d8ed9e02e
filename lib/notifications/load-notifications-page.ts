// For the Notifications page: my notifications and my email preferences.
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { listNotifications, type NotificationJson } from "./list-notifications";
import { getNotificationPreferences, type PreferenceJson } from "./notification-preferences";

export async function loadNotificationsPage(): Promise<{ notifications: NotificationJson[]; unread: number; preferences: PreferenceJson[] }> {
  const user = await requireUser();
  const db = await getDb();
  const [list, preferences] = await Promise.all([listNotifications(db, { userId: user.id }), getNotificationPreferences(db, { userId: user.id })]);
  return { ...list, preferences };
}
