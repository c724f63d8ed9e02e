// PATCH /api/manage/v1/admin/keys/{keyId} — change a key's tier by id or name (admin; next request, quota kept)
import { z } from "zod";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { changeKeyTier } from "@/lib/admin/change-key-tier";

type Params = { keyId: string };
const body = z.strictObject({ tier: z.string().trim().min(1).max(100) });

export const PATCH = withUser<Params>({ admin: true }, async (request, { db, user, ip, params }) => {
  const { tier } = await parseBody(request, body);
  return json({ key: await changeKeyTier(db, { keyId: params.keyId, tier, actor: user, ip }) });
});

export const { GET, POST, PUT, DELETE, OPTIONS } = manageOtherMethods(["PATCH"]);
