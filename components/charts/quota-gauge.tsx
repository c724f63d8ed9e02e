// A quota bar: used of limit for a period, with remaining and the projected exhaustion date.
import { formatDateTime, formatExact, formatPercent } from "./format";

export type QuotaGaugeProps = {
  label: string;
  used: number;
  limit: number | null;
  remaining: number | null;
  projectedExhaustion: string | null;
  periodEnd: string;
  /** "usage": estimated from usage records because the limiter could not be read; shown as approximate. */
  source?: "limiter" | "usage";
};

export function QuotaGauge({ label, used, limit, remaining, projectedExhaustion, periodEnd, source = "limiter" }: QuotaGaugeProps) {
  const approximate = source === "usage" && limit !== null;
  const share = limit ? Math.min(1, used / limit) : 0;
  const tone = share >= 1 ? "bg-red-500" : share >= 0.8 ? "bg-amber-500" : "bg-emerald-500";
  return (
    <div className="space-y-2">
      <div className="flex items-baseline justify-between gap-2">
        <span className="text-sm font-medium text-slate-700">{label}</span>
        <span className="text-sm tabular-nums text-slate-600">
          {approximate && <abbr title="approximate">≈ </abbr>}
          {formatExact(used)} / {limit === null ? "unlimited" : formatExact(limit)} requests
        </span>
      </div>
      <div
        role="meter"
        aria-label={`${label} quota used`}
        aria-valuemin={0}
        aria-valuemax={limit ?? 0}
        aria-valuenow={used}
        className="h-2.5 w-full overflow-hidden rounded-full bg-slate-100"
      >
        {limit !== null && <div className={`h-full rounded-full ${tone}`} style={{ width: `${Math.max(share * 100, used > 0 ? 1 : 0)}%` }} />}
      </div>
      <p className="text-xs text-slate-500">
        {limit === null ? (
          "No quota on this tier."
        ) : (
          <>
            {formatPercent(share)} used · {formatExact(remaining ?? 0)} left · resets {formatDateTime(periodEnd)}
            {approximate && (
              <span className="block text-slate-600">Approximate: the rate limiter could not be read, so this is estimated from usage records.</span>
            )}
            {projectedExhaustion && (
              <span className="block font-medium text-amber-700">
                {share >= 1 ? "Exhausted" : `At this pace runs out ${formatDateTime(projectedExhaustion)}`}
              </span>
            )}
          </>
        )}
      </p>
    </div>
  );
}
