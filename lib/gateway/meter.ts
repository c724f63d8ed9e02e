// Seam between the gateway and lib/usage.
import { getDb } from "../db/client";
import { recordUsage, startUsageFlusher } from "../usage/usage-buffer";

export type MeterEntry = {
  keyId: string;
  projectId: string;
  /** Route pattern, e.g. "GET /api/v1/products/{sku}". */
  endpoint: string;
  status: number;
  latencyMs: number;
  at: Date;
};

/** Counts one request with a valid key, exactly once. Never throws and never waits on the database. */
export function meter(entry: MeterEntry): void {
  startUsageFlusher(getDb);
  recordUsage(entry);
}
