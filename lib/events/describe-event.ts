// The human wording of an announced event: notification title, body and the portal link.
import { formatDateTime, relativeTime } from "../format/time";
import type { TeamNotice } from "../notifications/notify-team";
import type { NotificationKind } from "./event-types";

type KeyData = { id?: string; name?: string; projectId?: string };

/** Dates in data are ISO strings; they are written with the one formatter (lib/format/time), never shown raw. */
const when = (value: unknown) => (typeof value === "string" && !Number.isNaN(Date.parse(value)) ? formatDateTime(value) : String(value));

/** `at`: when the event happened, so "expires in 2 days" is counted from then, whatever the notice's schedule said. */
export function describeEvent(kind: NotificationKind, data: Record<string, unknown>, at: Date = new Date()): TeamNotice {
  const key = (data.key ?? {}) as KeyData;
  const name = key.name ? `"${key.name}"` : "A key";
  const link = key.projectId && key.id ? `/projects/${key.projectId}/keys/${key.id}` : undefined;
  switch (kind) {
    case "key.leaked":
      return {
        kind,
        link,
        title: `Key ${name} was found in public`,
        body: `Key ${name} (${key.id}) was reported leaked${data.url ? ` at ${String(data.url)}` : ""}. ${
          data.action === "revoked" ? "It has been revoked; create a new key for your integration." : "Your project is set to notify only: revoke or rotate it now."
        }`,
      };
    case "key.expiring":
      return {
        kind,
        link,
        title: `Key ${name} expires ${typeof data.expiresAt === "string" ? relativeTime(data.expiresAt, at) : data.within === "1d" ? "tomorrow" : "within 7 days"}`,
        body: `Key ${name} (${key.id}) expires on ${when(data.expiresAt)}. Integrations using it stop working then; create or rotate a key before.`,
      };
    case "quota.warning":
      return {
        kind,
        link,
        title: `Key ${name} used 80 % of its ${String(data.window)} quota`,
        body: `Key ${name} (${key.id}) has used ${String(data.used)} of ${String(data.limit)} requests this ${String(data.window)}.`,
      };
    case "key.throttled":
      return {
        kind,
        link,
        title: `Key ${name} was throttled for a traffic spike`,
        body: `Key ${name} (${key.id}) sent far more traffic than usual and runs on a lower limit until ${when(data.throttledUntil)}.`,
      };
    case "credits.low":
    case "credits.exhausted": {
      const project = data.projectId ? String(data.projectId) : undefined;
      const whose = data.owner === "key" ? `Key ${name}` : "The project";
      return {
        kind,
        link: data.owner === "key" ? link : project ? `/projects/${project}` : undefined,
        title: kind === "credits.low" ? `${whose} is running low on credits` : `${whose} has no credits left`,
        body:
          kind === "credits.low"
            ? `${whose} has ${String(data.remaining)} credits left${data.refillsAt ? `; they refill on ${when(data.refillsAt)}` : ""}.`
            : `${whose} has spent its credits: requests are refused with 429 credits_exhausted${data.refillsAt ? ` until ${when(data.refillsAt)}` : " until an admin tops them up"}.`,
      };
    }
    case "key.revoked_by_admin":
      return { kind, link, title: `A site admin revoked key ${name}`, body: `Key ${name} (${key.id}) was revoked by a site admin.` };
    case "webhook.disabled":
      return {
        kind,
        link: data.projectId ? `/projects/${String(data.projectId)}/webhooks` : undefined,
        title: `Webhook endpoint disabled`,
        body: `The endpoint ${String(data.url)} failed ${String(data.failures)} deliveries in a row and was disabled. Fix it, then enable it again in the portal.`,
      };
  }
}
