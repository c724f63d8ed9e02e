// Small presentational pieces shared by the keys list and the key detail page.
import { Badge, type BadgeTone } from "@/components/ui";
import type { KeyJson, KeyStatus } from "@/lib/keys/serialize-key";

const statusTone: Record<KeyStatus, BadgeTone> = { active: "green", disabled: "gray", revoked: "red", expired: "amber" };

export function KeyStatusBadge({ status }: { status: KeyStatus }) {
  return <Badge tone={statusTone[status]}>{status}</Badge>;
}

export function EnvironmentBadge({ environment }: { environment: KeyJson["environment"] }) {
  return <Badge tone={environment === "live" ? "blue" : "gray"}>{environment}</Badge>;
}

/** "kp_live_a1B2…x9Yz": enough to recognise a key, never enough to use it. */
export function MaskedSecret({ start, last4 }: { start: string; last4: string }) {
  return (
    <code className="font-mono text-[13px] whitespace-nowrap text-slate-700">
      {start}
      <span className="text-slate-400">…</span>
      {last4}
    </code>
  );
}

export function ScopeList({ scopes }: { scopes: string[] }) {
  if (scopes.length === 0) return <span className="text-slate-500">none</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {scopes.map((s) => (
        <code key={s} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
          {s}
        </code>
      ))}
    </span>
  );
}

const dateTimeFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/**
 * A UTC date (and time), with the exact ISO time on hover. Pages render on the server, where the reader's zone is
 * unknown: UTC, said out loud, is unambiguous.
 */
export function When({ iso, empty = "—", dateOnly = false }: { iso: string | null; empty?: string; dateOnly?: boolean }) {
  if (!iso) return <span className="text-slate-500">{empty}</span>;
  return (
    <time dateTime={iso} title={iso} className="whitespace-nowrap">
      {dateOnly ? dateFormat.format(new Date(iso)) : `${dateTimeFormat.format(new Date(iso))} UTC`}
    </time>
  );
}

/** "in 3 hours", "5 minutes ago" relative to `now`. */
export function relativeTime(iso: string, now: Date = new Date()): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
    ["second", 1],
  ];
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === "second") return format.format(Math.trunc(seconds / size), unit);
  }
  return "";
}
