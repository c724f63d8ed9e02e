// The contract's Key JSON, shared by the developer API and the admin console.
import type { ApiKey, KeySecret } from "../db/schema";
import { creditsJson, type CreditsJson } from "../credits/credits-json";

/** A key row with what its JSON needs; build with loadKeyRecords(db, keys). */
export type KeyRecord = {
  key: ApiKey;
  tierName: string;
  current: KeySecret | null;
  /** The secret a rotation replaced, while its grace window is open. */
  previous: KeySecret | null;
};

/** "disabled": stopped by its owner, reversible (403 key_disabled); revoked and expired are final and win over it. */
export type KeyStatus = "active" | "disabled" | "revoked" | "expired";

export type KeyJson = {
  id: string;
  projectId: string;
  name: string;
  start: string;
  last4: string;
  scopes: string[];
  environment: "live" | "test";
  tier: string;
  status: KeyStatus;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  ipAllowlist: string[];
  /** Browser key origins (CONTRACT §13); [] when unrestricted. */
  allowedOrigins: string[];
  rotation: null | { previousStart: string; previousExpiresAt: string; previousLastUsedAt: string | null };
  disabledAt: string | null;
  /** The owners' notes and labels (free-form; PATCH …/keys/{keyId} { metadata }). */
  metadata: { notes?: string; labels?: string[] };
  /** Prepaid credits (admins set them); each charged request spends its cost. null: none. */
  credits: CreditsJson;
  /** "console": minted by the docs' try-it console (never listed among the project's keys, never rotated). */
  kind: "standard" | "console";
};

export function keyStatus(key: Pick<ApiKey, "revokedAt" | "expiresAt"> & Partial<Pick<ApiKey, "disabledAt">>, now: Date = new Date()): KeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  if (key.disabledAt) return "disabled";
  return "active";
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function serializeKey(record: KeyRecord, now: Date = new Date()): KeyJson {
  const { key, current, previous } = record;
  const status = keyStatus(key, now);
  const inGrace = status === "active" && previous?.expiresAt && previous.expiresAt > now;
  return {
    id: key.id,
    projectId: key.projectId,
    name: key.name,
    start: current?.start ?? "",
    last4: current?.last4 ?? "",
    scopes: key.scopes,
    environment: key.environment,
    tier: record.tierName,
    status,
    createdAt: key.createdAt.toISOString(),
    expiresAt: iso(key.expiresAt),
    lastUsedAt: iso(key.lastUsedAt),
    ipAllowlist: key.ipAllowlist,
    allowedOrigins: key.allowedOrigins ?? [],
    disabledAt: iso(key.disabledAt),
    metadata: key.metadata ?? {},
    credits: creditsJson("key", key.id, key, now.getTime()),
    kind: key.kind ?? "standard",
    rotation:
      inGrace && previous?.expiresAt
        ? { previousStart: previous.start, previousExpiresAt: previous.expiresAt.toISOString(), previousLastUsedAt: iso(previous.lastUsedAt) }
        : null,
  };
}
