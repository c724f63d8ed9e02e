// POST /api/manage/v1/admin/tiers — create a tier: limits and spike circuit breaker setting (admin)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { saveTier } from "@/lib/admin/save-tier";
import { createTierBody } from "@/lib/admin/tier-fields";

export const POST = withUser({ admin: true }, async (request, { db, user, ip }) => {
  const fields = await parseBody(request, createTierBody);
  return json({ tier: await saveTier(db, { fields, actor: user, ip }) }, { status: 201 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
