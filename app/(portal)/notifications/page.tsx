// My notifications (leaked, expiring, throttled keys, quota warnings…) and which of them I also get by email.
import type { Metadata } from "next";
import { NotificationsPanel } from "@/components/notifications/notifications-panel";
import { loadNotificationsPage } from "@/lib/notifications/load-notifications-page";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const data = await loadNotificationsPage();
  return <NotificationsPanel {...data} />;
}
