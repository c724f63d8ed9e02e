import { createHash, randomBytes } from "node:crypto";
import type { teamInvitations } from "../db/schema";

type TeamInvitation = typeof teamInvitations.$inferSelect;

/** Invitation links are valid this long, and single use. */
export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export type InvitationJson = { id: string; email: string; role: TeamInvitation["role"]; expiresAt: string; createdAt: string };

export const toInvitationJson = (i: TeamInvitation): InvitationJson => ({
  id: i.id,
  email: i.email,
  role: i.role,
  expiresAt: i.expiresAt.toISOString(),
  createdAt: i.createdAt.toISOString(),
});

/** 32 random bytes in the link; only the SHA-256 is stored, so a database reader cannot accept invitations. */
export const newInvitationToken = () => randomBytes(32).toString("base64url");
export const hashInvitationToken = (token: string) => createHash("sha256").update(token).digest("hex");
