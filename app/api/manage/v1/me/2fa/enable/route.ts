// POST /api/manage/v1/me/2fa/enable — confirm a code from the new secret; returns 10 recovery codes, once
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { readJsonBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { AUTH_BODY_LIMIT } from "@/lib/auth/limits";
import { enableTwoFactor } from "@/lib/auth/manage-two-factor";

export const POST = withUser({ verified: true }, async (request, { db, user, ip }) =>
  json(await enableTwoFactor(db, { userId: user.id, input: await readJsonBody(request, AUTH_BODY_LIMIT), ip })),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
