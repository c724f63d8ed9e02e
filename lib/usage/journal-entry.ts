// One journal entry per answered request: the fields countRequest needs, tab-separated, endpoint last.
//
//   u2 <TAB> keyId <TAB> projectId <TAB> minute (minutes since the epoch) <TAB> status <TAB> latency ms (whole)
//      <TAB> latency bucket <TAB> billable units <TAB> endpoint
//
// "u1" entries (written before billing existed: no billable field) are still read, as 0 billable units.
//
// Ids never contain tabs; endpoint labels are route patterns ("GET /api/v1/products/{sku}") and may hold spaces and
// slashes but not tabs or newlines; as the last field it is taken whole anyway. The leading "u1" versions the format
// and keeps the string from ever parsing as JSON (the Upstash REST client JSON-parses replies it can).
import { LATENCY_BUCKETS } from "./latency";
import { MINUTE } from "./usage-cells";

const VERSION = "u2";
const V1 = "u1";

export type JournalEntry = {
  keyId: string;
  projectId: string;
  endpoint: string;
  /** Minute bucket start, ms since the epoch. */
  minute: number;
  status: number;
  latencyMs: number;
  latencyBucket: number;
  /** Billable units (CONTRACT §14): the request's cost when it was charged and answered below 500, else 0. */
  billable: number;
};

export function encodeEntry(
  keyId: string,
  projectId: string,
  endpoint: string,
  minute: number,
  status: number,
  latencyMs: number,
  latencyBucket: number,
  billable = 0,
): string {
  return `${VERSION}\t${keyId}\t${projectId}\t${minute / MINUTE}\t${status}\t${latencyMs}\t${latencyBucket}\t${billable}\t${endpoint}`;
}

/** A non-negative whole number written by encodeEntry, or NaN. */
const count = (s: string) => (/^\d{1,15}$/.test(s) ? Number(s) : NaN);

/** The entry, or null for a string this version does not understand (it is skipped and logged, never guessed at). */
export function decodeEntry(text: string): JournalEntry | null {
  const parts = text.split("\t");
  const v2 = parts[0] === VERSION;
  if (!v2 && parts[0] !== V1) return null;
  const fields = v2 ? 9 : 8;
  if (parts.length < fields) return null;
  const [, keyId, projectId, minutes, status, latency, bucket] = parts;
  const entry: JournalEntry = {
    keyId,
    projectId,
    // A label with a tab in it (none today) still comes back whole.
    endpoint: parts.slice(fields - 1).join("\t"),
    minute: count(minutes) * MINUTE,
    status: count(status),
    latencyMs: count(latency),
    latencyBucket: count(bucket),
    billable: v2 ? count(parts[7]) : 0,
  };
  if (!keyId || !projectId || !entry.endpoint) return null;
  if (Number.isNaN(entry.minute + entry.status + entry.latencyMs + entry.billable) || !(entry.latencyBucket < LATENCY_BUCKETS)) return null;
  return entry;
}
