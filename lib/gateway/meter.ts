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
  /**
   * Billable units (CONTRACT §14): the route's cost when the request passed every check (it was charged) and was
   * answered below 500; 0 (or absent) otherwise. The API it bills is read from `endpoint`.
   */
  billable?: number;
};

/**
 * Counts one request with a valid key, exactly once. Never throws and never waits on the database. With Redis or
 * Upstash configured the promise resolves once the request is journaled there (answer after that, and a crash cannot
 * lose it); it resolves anyway within half a second when Redis is down or slow, and never rejects.
 */
export function meter(entry: MeterEntry): Promise<void> {
  startUsageFlusher(getDb);
  return recordUsage(entry);
}
