// POST /api/manage/v1/admin/billing/resend — failed meter events of a month go back to pending (admin): { month?, projectId? }
import { z } from "zod";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseOptionalBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { billingMonthQuery } from "@/lib/billing/billing-month";
import { resendFailedMeterEvents } from "@/lib/billing/resend-failed-meter-events";

const body = billingMonthQuery.extend({ projectId: z.string().regex(/^prj_[A-Za-z0-9]{1,40}$/, "must be a project id").optional() });

export const POST = withUser({ admin: true }, async (request, { db, user, ip }) => {
  const { month, projectId } = await parseOptionalBody(request, body);
  return json(await resendFailedMeterEvents(db, { month, projectId, actor: user, ip }));
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
