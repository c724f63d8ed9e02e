// Number and time formatting shared by the charts (UTC, so server and browser render the same labels).
import { formatDate as formatDay, formatDateTime as formatWhen, relativeTime } from "@/lib/format/time";

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en-US");

export const formatCount = (n: number) => (Math.abs(n) >= 10_000 ? compact.format(n) : whole.format(Math.round(n)));
export const formatExact = (n: number) => whole.format(Math.round(n));
export const formatPercent = (share: number) => `${(share * 100).toFixed(share < 0.1 && share > 0 ? 1 : 0)}%`;
export const formatMs = (ms: number | null) => (ms === null ? "—" : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 10 ? `${Math.round(ms)} ms` : `${Math.round(ms * 10) / 10} ms`);

const pad = (n: number) => String(n).padStart(2, "0");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A tick label that fits the chart's step: "14:05" for minutes, "Nov 21 14:00" for hours, "Nov 21" for days. */
export function formatTick(iso: string, stepMs: number): string {
  const d = new Date(iso);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const day = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  if (stepMs < 3_600_000) return time;
  if (stepMs < 86_400_000) return `${day} ${time}`;
  return day;
}

// Dates and relative times come from the one formatter (lib/format/time); these keep the chart helpers' signatures.
export function formatDateTime(iso: string | null): string {
  return iso ? formatWhen(iso) : "never";
}

export function formatDate(iso: string): string {
  return formatDay(iso);
}

export function formatRelative(iso: string | null, now: Date = new Date()): string {
  return iso ? relativeTime(iso, now) : "never";
}

export function stepLabel(stepMs: number): string {
  if (stepMs < 3_600_000) return `${stepMs / 60_000} min`;
  if (stepMs < 86_400_000) return stepMs === 3_600_000 ? "hour" : `${stepMs / 3_600_000} h`;
  return "day";
}

export const OUTCOME_SERIES = [
  { key: "success", label: "Success (2xx/3xx)", color: "#10b981" },
  { key: "clientErrors", label: "Client errors (4xx)", color: "#f59e0b" },
  { key: "rateLimited", label: "Rate limited (429)", color: "#8b5cf6" },
  { key: "serverErrors", label: "Server errors (5xx)", color: "#ef4444" },
] as const;

const unitFormats = new Map<string, Intl.NumberFormat>();
/** "1 day", "30 days", "1 hour": Intl picks the singular or plural (never "1 days"). */
export function formatUnit(n: number, unit: "day" | "hour" | "minute" | "second"): string {
  let format = unitFormats.get(unit);
  if (!format) unitFormats.set(unit, (format = new Intl.NumberFormat("en", { style: "unit", unit, unitDisplay: "long", maximumFractionDigits: 2 })));
  return format.format(n);
}
