// Tells a project's owners and admins about something: an in-portal notification each, and an email each unless
// that user switched the kind off. Runs inside the caller's transaction (the event fan-out), so the notification,
// the mail and the "dispatched" mark commit together.
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { notificationPreferences, notifications } from "../db/schema";
import { enqueueMail } from "../mail/enqueue-mail";
import { listTeamAdmins } from "../teams/list-team-admins";
import type { NotificationKind } from "../events/event-types";

export type TeamNotice = { kind: NotificationKind; title: string; body: string; link?: string };

export async function notifyTeam(tx: Db, { projectId, notice, appUrl }: { projectId: string; notice: TeamNotice; appUrl: string }): Promise<number> {
  const admins = await listTeamAdmins(tx, { projectId });
  if (admins.length === 0) return 0;
  const optedOut = await tx
    .select({ userId: notificationPreferences.userId })
    .from(notificationPreferences)
    .where(
      and(
        inArray(notificationPreferences.userId, admins.map((a) => a.userId)),
        eq(notificationPreferences.kind, notice.kind),
        eq(notificationPreferences.email, false),
      ),
    );
  const off = new Set(optedOut.map((r) => r.userId));
  await tx.insert(notifications).values(
    admins.map((a) => ({ id: newId("ntf"), userId: a.userId, kind: notice.kind, title: notice.title, body: notice.body, link: notice.link ?? null })),
  );
  const link = notice.link ? `${appUrl}${notice.link}` : null;
  for (const admin of admins) {
    if (off.has(admin.userId)) continue;
    await enqueueMail(tx, {
      to: admin.email,
      subject: `[Keyport] ${notice.title}`,
      text: `${notice.body}\n\n${link ? `Open: ${link}\n\n` : ""}You can turn these emails off under Notifications in the portal.\n`,
      kind: notice.kind,
    });
  }
  return admins.length;
}
