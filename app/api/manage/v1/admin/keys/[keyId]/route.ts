// PATCH /api/manage/v1/admin/keys/{keyId} — change a key's tier by id or name (next request, quota kept) and/or set its credits (admin)
import { z } from "zod";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { changeKeyTier } from "@/lib/admin/change-key-tier";
import { getAdminKey } from "@/lib/admin/search-keys";
import { creditsInput } from "@/lib/credits/credit-input";
import { setCredits } from "@/lib/credits/set-credits";

type Params = { keyId: string };
const body = z
  .strictObject({ tier: z.string().trim().min(1).max(100).optional(), credits: creditsInput.optional() })
  .refine((b) => b.tier !== undefined || b.credits !== undefined, { message: "send tier and/or credits" });

export const PATCH = withUser<Params>({ admin: true }, async (request, { db, user, ip, params }) => {
  const { tier, credits } = await parseBody(request, body);
  const who = { actor: user, ip };
  if (credits !== undefined) await setCredits(db, { ...who, owner: "key", id: params.keyId, credits });
  if (tier !== undefined) return json({ key: await changeKeyTier(db, { ...who, keyId: params.keyId, tier }) });
  return json({ key: (await getAdminKey(db, params.keyId))! });
});

export const { GET, POST, PUT, DELETE, OPTIONS } = manageOtherMethods(["PATCH"]);
