"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge, Button, Card, Checkbox, EmptyState, PageHeader, useToast } from "@/components/ui";
import { callManageApi } from "@/components/keys/api-client";
import { problemMessage } from "@/components/portal/problem-message";
import type { NotificationJson } from "@/lib/notifications/list-notifications";
import type { PreferenceJson } from "@/lib/notifications/notification-preferences";
import { formatDateTime, formatExact } from "@/lib/format/time";

type Props = { notifications: NotificationJson[]; unread: number; preferences: PreferenceJson[] };

/** The notification list and the per-kind email switches. */
export function NotificationsPanel({ notifications, unread, preferences: initial }: Props) {
  const router = useRouter();
  const toast = useToast();
  const [preferences, setPreferences] = useState(initial);

  async function markAllRead() {
    try {
      await callManageApi("POST", "/me/notifications/read", {});
      router.refresh();
    } catch (error) {
      toast.error(problemMessage(error, "Could not mark notifications read."));
    }
  }

  async function toggle(kind: string, email: boolean) {
    // Optimistic: the box follows the click at once; a failed save puts it back.
    const before = preferences;
    setPreferences((list) => list.map((p) => (p.kind === kind ? { ...p, email } : p)));
    try {
      const r = await callManageApi<{ preferences: PreferenceJson[] }>("PUT", "/me/notification-preferences", { preferences: [{ kind, email }] });
      setPreferences(r.preferences);
      toast.success(email ? "Emails on" : "Emails off");
    } catch (error) {
      setPreferences(before);
      toast.error(problemMessage(error, "Could not save the preference."));
    }
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="Notifications"
        description="What happened to your teams' keys and webhooks. Owners and admins of a team receive these."
        actions={unread > 0 ? <Button variant="secondary" onClick={markAllRead}>Mark all read ({unread})</Button> : null}
      />
      <Card padded={notifications.length === 0}>
        {notifications.length === 0 ? (
          <EmptyState title="Nothing yet" text="Leaked, expiring and throttled keys, quota warnings and disabled webhooks show up here." />
        ) : (
          <ul className="divide-y divide-slate-100">
            {notifications.map((n) => (
              <li key={n.id} className="flex gap-3 px-5 py-3">
                <div className="min-w-0 flex-1">
                  <p className="text-sm font-medium text-slate-900">
                    {n.link ? <Link href={n.link} className="hover:underline">{n.title}</Link> : n.title} {n.readAt ? null : <Badge tone="blue">new</Badge>}
                  </p>
                  {n.body ? <p className="mt-0.5 text-sm text-slate-600">{n.body}</p> : null}
                </div>
                <time className="shrink-0 text-xs text-slate-500" dateTime={n.createdAt} title={formatExact(n.createdAt)}>
                  {formatDateTime(n.createdAt)}
                </time>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Email me about" description="Each kind can be switched off for email; the list above always shows it.">
        <div className="space-y-3">
          {preferences.map((p) => (
            <Checkbox key={p.kind} label={p.label} description={p.kind} checked={p.email} onChange={(e) => void toggle(p.kind, e.target.checked)} />
          ))}
        </div>
      </Card>
    </div>
  );
}
