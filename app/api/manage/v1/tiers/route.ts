// GET /api/manage/v1/tiers — every tier and its limits (any signed-in user)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { listTiers } from "@/lib/admin/list-tiers";

export const GET = withUser({}, async (_request, { db }) => {
  return json({ tiers: await listTiers(db) });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
