// GET /api/manage/v1/teams/{teamId}/usage?from=&to=&granularity=minute|hour|day — usage over all the team's projects
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { queryUsage, usageQuerySchema } from "@/lib/usage/query-usage";

export const dynamic = "force-dynamic";

export const GET = withUser<{ teamId: string }>({}, async (request, ctx) => {
  const query = parseQuery(request, usageQuerySchema);
  return json(await queryUsage(ctx.db, { teamId: ctx.params.teamId, member: ctx }, query));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
