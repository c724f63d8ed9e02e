import type { ManagementToken } from "../db/schema";

/** The public shape of a management token (never its hash). */
export type TokenJson = {
  id: string;
  name: string;
  start: string;
  last4: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
};

export const toTokenJson = (t: ManagementToken): TokenJson => ({
  id: t.id,
  name: t.name,
  start: t.start,
  last4: t.last4,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  expiresAt: t.expiresAt?.toISOString() ?? null,
});
