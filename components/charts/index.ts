// Chart components for the usage dashboards and the admin console.
export { UsageChart, type UsageChartPoint } from "./usage-chart";
export { LatencyChart } from "./latency-chart";
export { Sparkline } from "./sparkline";
export { QuotaGauge, type QuotaGaugeProps } from "./quota-gauge";
export { RangePicker } from "./range-picker";
export * from "./format";
