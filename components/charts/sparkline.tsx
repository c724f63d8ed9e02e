// A tiny 7-point trend line as plain SVG (hundreds of rows render without a chart library per row).
import { formatExact } from "./format";

export function Sparkline({ points, width = 112, height = 28, className }: { points: { t: string; total: number }[]; width?: number; height?: number; className?: string }) {
  const max = Math.max(1, ...points.map((p) => p.total));
  const step = points.length > 1 ? width / (points.length - 1) : width;
  const y = (v: number) => height - 2 - (v / max) * (height - 4);
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${(i * step).toFixed(1)},${y(p.total).toFixed(1)}`).join(" ");
  const total = points.reduce((s, p) => s + p.total, 0);
  const summary = `${formatExact(total)} requests in 7 days; per day: ${points.map((p) => formatExact(p.total)).join(", ")}`;
  return (
    <svg role="img" aria-label={summary} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className={className}>
      <title>{summary}</title>
      <line x1={0} x2={width} y1={height - 2} y2={height - 2} stroke="#e2e8f0" />
      {total > 0 && (
        <>
          <path d={`${path} L${width},${height - 2} L0,${height - 2} Z`} fill="#2f6fed" opacity={0.12} />
          <path d={path} fill="none" stroke="#2f6fed" strokeWidth={1.5} strokeLinejoin="round" />
        </>
      )}
    </svg>
  );
}
