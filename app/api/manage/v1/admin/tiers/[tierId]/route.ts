// PATCH /api/manage/v1/admin/tiers/{tierId} — edit a tier; keys on it see the change at their next request (admin)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { saveTier } from "@/lib/admin/save-tier";
import { updateTierBody } from "@/lib/admin/tier-fields";

type Params = { tierId: string };

export const PATCH = withUser<Params>({ admin: true }, async (request, { db, user, ip, params }) => {
  const fields = await parseBody(request, updateTierBody);
  return json({ tier: await saveTier(db, { tierId: params.tierId, fields, actor: user, ip }) });
});

export const { GET, POST, PUT, DELETE, OPTIONS } = manageOtherMethods(["PATCH"]);
