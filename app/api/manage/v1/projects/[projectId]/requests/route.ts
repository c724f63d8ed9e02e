// GET /api/manage/v1/projects/{projectId}/requests?requestId=&keyId=&status=&path=&from=&to=&cursor=&limit= — the request log
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { listRequests, requestSearchSchema } from "@/lib/requests/list-requests";

type Params = { projectId: string };

export const dynamic = "force-dynamic";

export const GET = withUser<Params>({}, async (request, ctx) => {
  const search = parseQuery(request, requestSearchSchema);
  return json(await listRequests(ctx.db, { projectId: ctx.params.projectId, member: ctx, search }));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
