// GET /api/manage/v1/admin/overview — traffic, top keys, spikes, throttled keys and keys near quota (admin)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { getAdminOverview } from "@/lib/analytics/get-admin-overview";

export const GET = withUser({ admin: true }, async (_request, { db }) => {
  return json(await getAdminOverview(db));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
