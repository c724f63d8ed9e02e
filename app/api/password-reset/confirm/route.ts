// POST /api/password-reset/confirm — set a new password with the token from the mailed link; every session ends
import { route } from "@/lib/http/route";
import { readJsonBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { assertSameOrigin } from "@/lib/http/same-origin";
import { AUTH_BODY_LIMIT } from "@/lib/auth/limits";
import { resetPasswordForApp } from "@/lib/users/account-api";
import { otherMethods } from "@/lib/http/method-not-allowed";

export const POST = route(async (request, { ip }) => {
  assertSameOrigin(request);
  await resetPasswordForApp({ input: await readJsonBody(request, AUTH_BODY_LIMIT), ip });
  return json({ status: "Password changed. Sign in with the new password." });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
