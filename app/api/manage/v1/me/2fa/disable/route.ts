// POST /api/manage/v1/me/2fa/disable — turn two-factor off with the password and a current code
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { readJsonBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { AUTH_BODY_LIMIT } from "@/lib/auth/limits";
import { disableTwoFactor } from "@/lib/auth/manage-two-factor";

export const POST = withUser({}, async (request, { db, user, ip }) => {
  await disableTwoFactor(db, { userId: user.id, input: await readJsonBody(request, AUTH_BODY_LIMIT), ip });
  return json({ twoFactor: false });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
