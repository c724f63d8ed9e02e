// GET /api/manage/v1/teams/{teamId}/audit?cursor=&limit= — the team's audit trail, newest first (owners and admins)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { listTeamAudit, teamAuditQuery } from "@/lib/teams/list-team-audit";

export const dynamic = "force-dynamic";

export const GET = withUser<{ teamId: string }>({}, async (request, ctx) => {
  const query = parseQuery(request, teamAuditQuery);
  return json(await listTeamAudit(ctx.db, { actor: ctx, teamId: ctx.params.teamId, ...query }));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
