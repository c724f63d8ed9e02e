// Range links (?range=1h|24h|7d|30d) — plain links, so the server renders the chosen range.
import Link from "next/link";
import { cx } from "@/components/ui";

const LABELS = { "1h": "Last hour", "24h": "24 hours", "7d": "7 days", "30d": "30 days" } as const;

export function RangePicker({ current, basePath }: { current: keyof typeof LABELS; basePath: string }) {
  return (
    <nav aria-label="Time range" className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
      {(Object.keys(LABELS) as (keyof typeof LABELS)[]).map((range) => (
        <Link
          key={range}
          href={`${basePath}?range=${range}`}
          aria-current={range === current ? "page" : undefined}
          className={cx(
            "rounded px-3 py-1 text-sm font-medium whitespace-nowrap",
            range === current ? "bg-brand-600 text-white" : "text-slate-600 hover:bg-slate-100",
          )}
        >
          {LABELS[range]}
        </Link>
      ))}
    </nav>
  );
}
