// GET /api/manage/v1/projects/{projectId}/usage?from=&to=&granularity=minute|hour|day — usage over the project's keys
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { queryUsage, usageQuerySchema } from "@/lib/usage/query-usage";

type Params = { projectId: string };

export const dynamic = "force-dynamic";

export const GET = withUser<Params>({}, async (request, ctx) => {
  const query = parseQuery(request, usageQuerySchema);
  return json(await queryUsage(ctx.db, { projectId: ctx.params.projectId, member: ctx }, query));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
