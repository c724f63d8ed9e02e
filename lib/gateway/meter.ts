// Seam between the gateway and lib/usage. (Placeholder until metering lands: records nothing.)

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
export function meter(_entry: MeterEntry): void {}
