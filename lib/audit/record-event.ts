// Audit events: who did what to which object, from where. Written in the same transaction as the change.
import type { Db } from "../db/client";
import { auditEvents } from "../db/schema";
import { forwardAuditEvent } from "./forward-audit-event";
import { SITE_ADMIN_ROLE, siteAdminActing } from "./site-admin-context";

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
  | "project.billing_customer_change"
  | "billing.resend_failed"
  | "key.create"
  | "key.update"
  | "key.rotate"
  | "key.end_grace"
  | "key.revoke"
  | "key.disable"
  | "key.enable"
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
  | "user.verify_email"
  | "user.password_reset_request"
  | "user.password_reset"
  | "user.password_change"
  | "user.signout"
  | "user.session_revoke"
  | "user.two_factor_enable"
  | "user.two_factor_disable"
  | "team.create"
  | "team.update"
  | "team.delete"
  | "team.member_role_change"
  | "team.member_remove"
  | "team.invite"
  | "team.invite_resend"
  | "team.invite_revoke"
  | "team.invite_accept"
  | "credits.set"
  | "credits.top_up"
  | "api.create"
  | "api.update"
  | "api.delete"
  | "api.rotate_secret"
  | "service_token.create"
  | "service_token.delete"
  | "user.identity_link"
  | "user.identity_unlink";

export type AuditActor = { id: string; email: string } | null;

export type RecordEventInput = {
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string };
  projectId?: string | null;
  /** The team the object belongs to (team activity feed). */
  teamId?: string | null;
  /** The acting member's team role at the time ("owner", "developer"…), so the feed names who did it and as what. */
  actorRole?: string | null;
  ip?: string | null;
  metadata?: Record<string, unknown>;
};

/** Client-supplied text kept in an audit row is cut to this many characters (a 10 MB "email" stays 256). */
export const AUDIT_FIELD_MAX = 256;

const truncate = (value: unknown, depth = 0): unknown => {
  if (typeof value === "string") return value.length > AUDIT_FIELD_MAX ? `${value.slice(0, AUDIT_FIELD_MAX)}…` : value;
  if (depth > 4) return null;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => truncate(v, depth + 1));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).slice(0, 50).map(([k, v]) => [k.slice(0, 64), truncate(v, depth + 1)]));
  }
  return value;
};

export async function recordEvent(db: Db, input: RecordEventInput): Promise<void> {
  const [row] = await db.insert(auditEvents).values({
    actorId: input.actor?.id ?? null,
    actorEmail: input.actor?.email ? String(truncate(input.actor.email)) : null,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    projectId: input.projectId ?? null,
    teamId: input.teamId ?? null,
    actorRole: input.actorRole ?? (siteAdminActing() ? SITE_ADMIN_ROLE : null),
    ip: input.ip ?? null,
    metadata: input.metadata ? (truncate(input.metadata) as Record<string, unknown>) : null,
  }).returning();
  // Projects with an endpoint subscribed to "audit.event" also get it as a webhook (same transaction).
  if (row.projectId) await forwardAuditEvent(db, row);
}
