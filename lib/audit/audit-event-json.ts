// An audit event as the management API shows it (admin list, admin export, team audit).
import type { AuditEvent } from "../db/schema";
import { SITE_ADMIN_ROLE } from "./site-admin-context";

export type AuditEventJson = {
  id: string;
  at: string;
  actor: { id: string | null; email: string | null } | null;
  action: string;
  target: { type: string | null; id: string } | null;
  projectId: string | null;
  ip: string | null;
  metadata: Record<string, unknown> | null;
};

export function auditEventJson(e: AuditEvent): AuditEventJson {
  return {
    id: String(e.id),
    at: e.at.toISOString(),
    actor: e.actorId || e.actorEmail ? { id: e.actorId, email: e.actorEmail } : null,
    action: e.action,
    target: e.targetId ? { type: e.targetType, id: e.targetId } : null,
    projectId: e.projectId,
    ip: e.ip,
    metadata: e.metadata ?? null,
  };
}

/** For a team's members: a site admin's identity and address are not the team's business ("Keyport admin" acted). */
export function teamAuditEventJson(e: AuditEvent): AuditEventJson & { teamId: string | null; actorRole: string | null } {
  const json = auditEventJson(e);
  if (e.actorRole === SITE_ADMIN_ROLE) return { ...json, actor: { id: null, email: "Keyport admin" }, ip: null, teamId: e.teamId, actorRole: e.actorRole };
  return { ...json, teamId: e.teamId, actorRole: e.actorRole };
}
