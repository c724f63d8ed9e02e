import type { ManagementToken } from "../db/schema";

/** The public shape of a management token (never its hash). */
export type TokenJson = {
  id: string;
  name: string;
  /** "read": GET only; "write": whatever the user's team roles allow. */
  access: "read" | "write";
  start: string;
  last4: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
};

export const toTokenJson = (t: ManagementToken): TokenJson => ({
  id: t.id,
  name: t.name,
  access: t.access,
  start: t.start,
  last4: t.last4,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  expiresAt: t.expiresAt?.toISOString() ?? null,
});
