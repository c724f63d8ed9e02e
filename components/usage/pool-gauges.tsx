// The project pool at a glance: the project tier's minute, day and month limits, shared by all the project's keys.
import { Card } from "@/components/ui";
import type { PoolStatus } from "@/lib/analytics/get-pool-status";

const LABEL = { "project-minute": "This minute", "project-day": "Today (UTC)", "project-month": "This month (UTC)" } as const;

export function PoolGauges({ pool }: { pool: PoolStatus }) {
  return (
    <Card
      title="Project pool"
      description={`Tier ${pool.tier.name}: these limits apply to the sum of all this project's keys (headers "project-minute", "project-day", "project-month").`}
    >
      {pool.gauges === null ? (
        <p className="text-sm text-slate-600">The rate limiter is unreachable right now, so the pool&apos;s counts cannot be shown.</p>
      ) : pool.gauges.length === 0 ? (
        <p className="text-sm text-slate-600">The project&apos;s tier sets no pool limits.</p>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-3" data-testid="pool-gauges">
          {pool.gauges.map((g) => {
            const share = Math.min(1, g.used / Math.max(1, g.limit));
            return (
              <li key={g.policy} className="space-y-1">
                <div className="flex items-baseline justify-between text-sm">
                  <span className="text-slate-600">{LABEL[g.policy]}</span>
                  <span className="tabular-nums text-slate-900">
                    {g.used.toLocaleString("en-US")} / {g.limit.toLocaleString("en-US")}
                  </span>
                </div>
                <div
                  role="meter"
                  aria-label={`${LABEL[g.policy]}: ${g.used} of ${g.limit} requests used by the project's keys`}
                  aria-valuemin={0}
                  aria-valuemax={g.limit}
                  aria-valuenow={g.used}
                  className="h-2 overflow-hidden rounded-full bg-slate-100"
                >
                  <div className={share >= 0.9 ? "h-full bg-red-500" : share >= 0.8 ? "h-full bg-amber-500" : "h-full bg-brand-500"} style={{ width: `${share * 100}%` }} />
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
