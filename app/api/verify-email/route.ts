// POST /api/verify-email — confirm an email address with the token from the mailed link
import { route } from "@/lib/http/route";
import { readJsonBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { assertSameOrigin } from "@/lib/http/same-origin";
import { AUTH_BODY_LIMIT } from "@/lib/auth/limits";
import { verifyEmailForApp } from "@/lib/users/account-api";
import { otherMethods } from "@/lib/http/method-not-allowed";

export const POST = route(async (request, { ip }) => {
  assertSameOrigin(request);
  const user = await verifyEmailForApp({ input: await readJsonBody(request, AUTH_BODY_LIMIT), ip });
  return json({ user });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
