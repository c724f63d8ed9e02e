"use client";
// Requests over time, stacked by outcome. Points come pre-bucketed from lib/analytics.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatExact, formatTick, OUTCOME_SERIES, stepLabel } from "./format";

export type UsageChartPoint = { t: string; total: number; success: number; clientErrors: number; rateLimited: number; serverErrors: number };

export function UsageChart({ series, stepMs, height = 280 }: { series: UsageChartPoint[]; stepMs: number; height?: number }) {
  const unit = stepLabel(stepMs);
  return (
    <figure aria-label={`Requests per ${unit}, stacked by outcome`} className="w-full">
      <div style={{ height }}>
        <BarChart responsive style={{ width: "100%", height: "100%" }} data={series} margin={{ top: 8, right: 12, bottom: 4, left: 8 }} barCategoryGap={1}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="t" tickFormatter={(t: string) => formatTick(t, stepMs)} minTickGap={28} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={{ stroke: "#cbd5e1" }} />
            <YAxis
              tickFormatter={(n: number) => formatCount(n)}
              allowDecimals={false}
              width={56}
              tick={{ fontSize: 11, fill: "#64748b" }}
              tickLine={false}
              axisLine={false}
              label={{ value: `requests / ${unit}`, angle: -90, position: "insideLeft", offset: 0, style: { fontSize: 11, fill: "#64748b", textAnchor: "middle" } }}
            />
            <Tooltip
              cursor={{ fill: "rgba(148,163,184,0.15)" }}
              labelFormatter={(t) => `${formatTick(String(t), Math.min(stepMs, 3_600_000 - 1))} UTC`}
              formatter={(value, name) => [formatExact(Number(value)), String(name)]}
              contentStyle={{ fontSize: 12, borderRadius: 6 }}
            />
            <Legend iconType="square" iconSize={10} wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            {OUTCOME_SERIES.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} stackId="outcome" fill={s.color} isAnimationActive={false} />
            ))}
        </BarChart>
      </div>
      <figcaption className="mt-1 text-right text-xs text-slate-500">Times in UTC · one bar per {unit}</figcaption>
    </figure>
  );
}
