// POST /api/signup — create an account
import { route } from "@/lib/http/route";
import { readJsonBody } from "@/lib/http/parse";
import { AUTH_BODY_LIMIT } from "@/lib/auth/limits";
import { json } from "@/lib/http/respond";
import { assertSameOrigin } from "@/lib/http/same-origin";
import { signUp } from "@/lib/users/sign-up";
import { otherMethods } from "@/lib/http/method-not-allowed";

export const POST = route(async (request, { ip }) => {
  assertSameOrigin(request);
  const user = await signUp({ input: await readJsonBody(request, AUTH_BODY_LIMIT), ip });
  return json({ user }, { status: 201 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
