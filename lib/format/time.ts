// The one way Keyport writes dates and times, on pages, in notifications and in mails: absolute times in UTC with the
// zone said out loud (pages render on the server, where the reader's zone is unknown), relative times rounded to the
// nearest whole unit ("in 2 days", "5 minutes ago"). No React here, so server code (notifications) can use it too.

type Instant = string | Date;

const toDate = (at: Instant) => (at instanceof Date ? at : new Date(at));

const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dateTimeSeconds = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium", hourCycle: "h23", timeZone: "UTC" });
const timeSeconds = new Intl.DateTimeFormat("en", { timeStyle: "medium", hourCycle: "h23", timeZone: "UTC" });
const dateOnly = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "Dec 7, 2026, 2:03 PM UTC". */
export const formatDateTime = (at: Instant) => `${dateTime.format(toDate(at))} UTC`;

/** "Dec 7, 2026, 14:03:05 UTC": for logs, where seconds matter. */
export const formatDateTimeSeconds = (at: Instant) => `${dateTimeSeconds.format(toDate(at))} UTC`;

/** "14:03:05 UTC": a log row's time when its day is shown elsewhere. */
export const formatTimeSeconds = (at: Instant) => `${timeSeconds.format(toDate(at))} UTC`;

/** "Dec 7, 2026". */
export const formatDate = (at: Instant) => dateOnly.format(toDate(at));

/** "2026-12-07 14:03:05.123 UTC": the exact instant, for tooltips. */
export const formatExact = (at: Instant) => `${toDate(at).toISOString().replace("T", " ").replace("Z", "")} UTC`;

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

/**
 * "in 2 days", "5 minutes ago", "tomorrow": the largest unit the distance reaches, rounded to the nearest whole one
 * (a key expiring in 47 hours is "in 2 days", never "in 1 day").
 */
export function relativeTime(at: Instant, now: Instant = new Date()): string {
  const seconds = (toDate(at).getTime() - toDate(now).getTime()) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "second") return relative.format(Math.round(seconds / size), unit);
  }
  return "";
}
