// GET /api/manage/v1/tiers — every tier and its limits (any signed-in user)
import { withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { listTiers } from "@/lib/admin/list-tiers";
import { otherMethods } from "@/lib/http/method-not-allowed";

export const GET = withUser({}, async (_request, { db }) => {
  return json({ tiers: await listTiers(db) });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
