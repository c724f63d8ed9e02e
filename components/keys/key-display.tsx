// Small presentational pieces shared by the keys list and the key detail page.
import { Badge, type BadgeTone } from "@/components/ui";
import { formatDate, formatDateTime, formatDateTimeSeconds, formatExact, relativeTime } from "@/lib/format/time";
import type { KeyJson, KeyStatus } from "@/lib/keys/serialize-key";

/** The id of the page's sentence on why key controls are disabled (DeniedNote); controls point at it. */
export const KEYS_DENIED_ID = "keys-denied";

const statusTone: Record<KeyStatus, BadgeTone> = { active: "green", disabled: "gray", revoked: "red", expired: "amber" };

export function KeyStatusBadge({ status }: { status: KeyStatus }) {
  return <Badge tone={statusTone[status]}>{status}</Badge>;
}

/** "console" beside a key the docs' try-it console minted; nothing for any other key. */
export function KeyKindBadge({ kind, className }: { kind: KeyJson["kind"] | null | undefined; className?: string }) {
  return kind === "console" ? (
    <Badge tone="blue" className={className}>
      console
    </Badge>
  ) : null;
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

/** A UTC date (and time) from the one formatter (lib/format/time), with the exact instant on hover. */
export function When({ iso, empty = "—", dateOnly = false, seconds = false }: { iso: string | null; empty?: string; dateOnly?: boolean; seconds?: boolean }) {
  if (!iso) return <span className="text-slate-500">{empty}</span>;
  return (
    <time dateTime={iso} title={formatExact(iso)} className="whitespace-nowrap">
      {dateOnly ? formatDate(iso) : seconds ? formatDateTimeSeconds(iso) : formatDateTime(iso)}
    </time>
  );
}

export { relativeTime };
