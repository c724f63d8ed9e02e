"use client";
// Latency distribution: how many requests finished within each histogram bucket.
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { LATENCY_BOUNDS_MS } from "@/lib/usage/latency";
import { formatCount, formatExact } from "./format";

const label = (i: number) => (i < LATENCY_BOUNDS_MS.length ? `≤${LATENCY_BOUNDS_MS[i]}` : `>${LATENCY_BOUNDS_MS.at(-1)}`);

export function LatencyChart({ histogram, p50, p95, height = 200 }: { histogram: number[]; p50: number | null; p95: number | null; height?: number }) {
  const data = histogram.map((count, i) => ({ bucket: label(i), count }));
  const at = (ms: number | null) => (ms === null ? null : label(Math.max(0, LATENCY_BOUNDS_MS.findIndex((b) => b >= ms))));
  const p50x = at(p50);
  const p95x = at(p95);
  return (
    <figure aria-label="Latency distribution in milliseconds" style={{ height }} className="w-full">
      <BarChart responsive style={{ width: "100%", height: "100%" }} data={data} margin={{ top: 16, right: 8, bottom: 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis
            dataKey="bucket"
            tick={{ fontSize: 10, fill: "#64748b" }}
            tickLine={false}
            interval={0}
            label={{ value: "latency (ms)", position: "insideBottom", offset: -10, style: { fontSize: 11, fill: "#64748b" } }}
          />
          <YAxis tickFormatter={(n: number) => formatCount(n)} allowDecimals={false} width={48} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} />
          <Tooltip formatter={(v) => [formatExact(Number(v)), "requests"]} labelFormatter={(l) => `${l} ms`} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
          <Bar dataKey="count" fill="#2f6fed" isAnimationActive={false} radius={[2, 2, 0, 0]} />
          {p50x && p50x === p95x ? (
            // Same bucket (e.g. a single request): one line, one label, instead of two labels drawn over each other.
            <ReferenceLine x={p50x} stroke="#ef4444" strokeDasharray="4 2" label={{ value: "p50 = p95", position: "top", fontSize: 10, fill: "#0f172a" }} />
          ) : (
            <>
              {p50x && <ReferenceLine x={p50x} stroke="#0f172a" strokeDasharray="4 2" label={{ value: "p50", position: "top", fontSize: 10, fill: "#0f172a" }} />}
              {p95x && <ReferenceLine x={p95x} stroke="#ef4444" strokeDasharray="4 2" label={{ value: "p95", position: "top", fontSize: 10, fill: "#ef4444" }} />}
            </>
          )}
      </BarChart>
    </figure>
  );
}
