// The event catalogue (CONTRACT §11): every type a webhook endpoint can subscribe to, and which of them also reach
// the team's owners and admins as a notification (and, unless they opted out, an email).

export const EVENT_TYPES = [
  "ping",
  "key.created",
  "key.rotated",
  "key.revoked",
  "key.expiring",
  "key.expired",
  "key.leaked",
  "key.spike_flagged",
  "key.throttled",
  "quota.warning",
  "quota.exhausted",
  "credits.low",
  "credits.exhausted",
  // Every audit event of the project, for a SIEM. Opt-in: only endpoints that list it get it, never "*" ones.
  "audit.event",
] as const;

/** Types an endpoint gets only when it lists them by name ("*" does not include them). */
export const OPT_IN_TYPES: readonly string[] = ["audit.event"];

export type EventType = (typeof EVENT_TYPES)[number];

/** Types an endpoint may subscribe to ("ping" is only ever sent on request, to one endpoint). */
export const SUBSCRIBABLE_TYPES = EVENT_TYPES.filter((t) => t !== "ping");

/**
 * Notification kinds: one per event type that is announced to people, plus "key.revoked_by_admin" (a key.revoked
 * whose data says a site admin did it). Each kind can be switched off for email per user; the in-portal
 * notification is always written.
 */
export const NOTIFICATION_KINDS = ["key.leaked", "key.expiring", "quota.warning", "key.throttled", "key.revoked_by_admin", "webhook.disabled", "credits.low", "credits.exhausted"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  "key.leaked": "A key was found in public (leak report)",
  "key.expiring": "A key expires in 7 days or 1 day",
  "quota.warning": "A key used 80 % of its daily or monthly quota",
  "key.throttled": "A key was throttled for a traffic spike",
  "key.revoked_by_admin": "A site admin revoked a key",
  "webhook.disabled": "A webhook endpoint was disabled after repeated failures",
  "credits.low": "A key's or project's credits run low (below 10 % of the refill)",
  "credits.exhausted": "A key's or project's credits are spent",
};

/** The notification kind an event announces, or null when it is for webhooks only. */
export function notificationKindOf(type: string, data: Record<string, unknown>): NotificationKind | null {
  switch (type) {
    case "key.leaked":
    case "key.expiring":
    case "quota.warning":
    case "key.throttled":
    case "credits.low":
    case "credits.exhausted":
      return type;
    case "key.revoked":
      return data.by === "admin" ? "key.revoked_by_admin" : null;
    default:
      return null;
  }
}
