// GET /api/manage/v1/projects/{projectId}/billing?month=YYYY-MM — billable units per day and API, and what was sent to Stripe
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { billingMonthQuery } from "@/lib/billing/billing-month";
import { getProjectBilling } from "@/lib/billing/get-project-billing";

type Params = { projectId: string };

export const dynamic = "force-dynamic";

export const GET = withUser<Params>({}, async (request, ctx) => {
  const { month } = parseQuery(request, billingMonthQuery);
  return json(await getProjectBilling(ctx.db, { projectId: ctx.params.projectId, member: ctx, month }));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
