// GET /api/manage/v1/admin/billing?month=YYYY-MM&limit=&cursor= — per project: billable, sent, pending, failed (admin)
import { z } from "zod";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { pageQuery } from "@/lib/admin/page-cursor";
import { billingMonthQuery } from "@/lib/billing/billing-month";
import { getBillingReconciliation } from "@/lib/billing/get-billing-reconciliation";

const query = billingMonthQuery.extend(pageQuery);

export const dynamic = "force-dynamic";

export const GET = withUser({ admin: true }, async (request, { db }) => {
  return json(await getBillingReconciliation(db, parseQuery(request, query) as z.infer<typeof query>));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
