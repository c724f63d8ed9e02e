// Audit events: who did what to which object, from where. Written in the same transaction as the change.
import type { Db } from "../db/client";
import { auditEvents } from "../db/schema";

export type AuditAction =
  | "user.signup"
  | "user.signin"
  | "user.signin_failed"
  | "user.suspend"
  | "user.unsuspend"
  | "user.role_change"
  | "project.create"
  | "project.update"
  | "project.delete"
  | "project.default_tier_change"
  | "project.tier_change"
  | "key.create"
  | "key.update"
  | "key.rotate"
  | "key.end_grace"
  | "key.revoke"
  | "key.leaked"
  | "webhook.create"
  | "webhook.update"
  | "webhook.delete"
  | "webhook.rotate_secret"
  | "key.tier_change"
  | "key.spike_flag"
  | "key.spike_throttle"
  | "key.spike_release"
  | "tier.create"
  | "tier.update"
  | "settings.update"
  | "token.create"
  | "token.delete"
  | "team.create"
  | "team.update"
  | "team.delete"
  | "team.member_role_change"
  | "team.member_remove"
  | "team.invite"
  | "team.invite_resend"
  | "team.invite_revoke"
  | "team.invite_accept";

export type AuditActor = { id: string; email: string } | null;

export type RecordEventInput = {
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string };
  projectId?: string | null;
  ip?: string | null;
  metadata?: Record<string, unknown>;
};

export async function recordEvent(db: Db, input: RecordEventInput): Promise<void> {
  await db.insert(auditEvents).values({
  /** The team the object belongs to (team activity feed). */
  teamId?: string | null;
  /** The acting member's team role at the time ("owner", "developer"…), so the feed names who did it and as what. */
  actorRole?: string | null;
    actorId: input.actor?.id ?? null,
    actorEmail: input.actor?.email ?? null,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    projectId: input.projectId ?? null,
    ip: input.ip ?? null,
    metadata: input.metadata ?? null,
  });
}
    teamId: input.teamId ?? null,
    actorRole: input.actorRole ?? null,
