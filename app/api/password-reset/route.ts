// POST /api/password-reset — mail a reset link; 202 whether or not the account exists, in the same time
import { route } from "@/lib/http/route";
import { readJsonBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { assertSameOrigin } from "@/lib/http/same-origin";
import { AUTH_BODY_LIMIT } from "@/lib/auth/limits";
import { requestPasswordResetForApp } from "@/lib/users/account-api";
import { otherMethods } from "@/lib/http/method-not-allowed";

export const POST = route(async (request, { ip }) => {
  assertSameOrigin(request);
  await requestPasswordResetForApp({ input: await readJsonBody(request, AUTH_BODY_LIMIT), ip });
  return json({ status: "If an account uses this address, a reset link is on its way." }, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
