// POST /api/manage/v1/admin/projects/{projectId}/credits — top up the project's credits atomically, with a reason (admin, audited)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { getAdminProject } from "@/lib/admin/search-projects";
import { topUpInput } from "@/lib/credits/credit-input";
import { topUpCredits } from "@/lib/credits/top-up-credits";

type Params = { projectId: string };

export const POST = withUser<Params>({ admin: true }, async (request, { db, user, ip, params }) => {
  const { add, reason } = await parseBody(request, topUpInput);
  const remaining = await topUpCredits(db, { owner: "project", id: params.projectId, add, reason, actor: user, ip });
  return json({ remaining, project: (await getAdminProject(db, params.projectId))! });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
