// Latency histograms: fixed bucket bounds, so rows can be summed and percentiles read from the sums.

/** Upper bounds in ms; the last bucket holds everything slower than the last bound. */
export const LATENCY_BOUNDS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500] as const;
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

export function latencyBucket(ms: number): number {
  for (let i = 0; i < LATENCY_BOUNDS_MS.length; i++) if (ms <= LATENCY_BOUNDS_MS[i]) return i;
  return LATENCY_BOUNDS_MS.length;
}

export function emptyHistogram(): number[] {
  return new Array(LATENCY_BUCKETS).fill(0);
}

export function addHistograms(a: number[], b: readonly number[]): number[] {
  const out = a.length >= LATENCY_BUCKETS ? a : [...a, ...new Array(LATENCY_BUCKETS - a.length).fill(0)];
  for (let i = 0; i < b.length && i < LATENCY_BUCKETS; i++) out[i] += b[i];
  return out;
}

/** The bucket bound at or below which q (0–1) of the requests fall; null for an empty histogram. */
export function percentileMs(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= rank) return i < LATENCY_BOUNDS_MS.length ? LATENCY_BOUNDS_MS[i] : LATENCY_BOUNDS_MS.at(-1)! * 2;
  }
  return null;
}
