// A team's audit trail for its owners and admins (CONTRACT §16): every event recorded for the team or one of its
// projects (deleted projects included), newest first, a keyset page at a time.
import { and, desc, eq, inArray, lt, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { auditEvents, projects } from "../db/schema";
import { teamAuditEventJson } from "../audit/audit-event-json";
import { authorizeTeam, type Actor } from "./authorize";

export const teamAuditQuery = z.strictObject({
  cursor: z.string().regex(/^\d{1,18}$/, "must be a cursor returned by a previous page").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export async function listTeamAudit(db: Db, options: { actor: Actor; teamId: string } & z.infer<typeof teamAuditQuery>) {
  const { team } = await authorizeTeam(db, { actor: options.actor, teamId: options.teamId, action: "audit:read" });
  const teamProjects = db.select({ id: projects.id }).from(projects).where(eq(projects.teamId, team.id));
  const belongs = or(eq(auditEvents.teamId, team.id), inArray(auditEvents.projectId, teamProjects))!;
  const rows = await db
    .select()
    .from(auditEvents)
    .where(options.cursor ? and(belongs, lt(auditEvents.id, Number(options.cursor))) : belongs)
    .orderBy(desc(auditEvents.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  return { data: page.map(teamAuditEventJson), nextCursor: rows.length > options.limit ? String(page.at(-1)!.id) : null };
}
