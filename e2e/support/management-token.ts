// A management token for an account, made the way a person would: sign up (or reuse the account), verify the address
// when it is new (an unverified account may not mint tokens, CONTRACT §17), sign in, create the token.
import { expect, type APIRequestContext } from "@playwright/test";
import { verifyAddress } from "./verify-address";

export async function managementToken(request: APIRequestContext, baseURL: string, email: string, password: string, name = "e2e"): Promise<string> {
  const signup = await request.post("/api/signup", { data: { email, password } });
  expect([201, 409]).toContain(signup.status());
  if (signup.status() === 201) await verifyAddress(email);
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  await request.post("/api/auth/callback/credentials", { form: { email, password, csrfToken, callbackUrl: `${baseURL}/dashboard` }, maxRedirects: 0 });
  const created = await request.post("/api/manage/v1/tokens", { data: { name }, headers: { Origin: baseURL } });
  expect(created.status(), await created.text()).toBe(201);
  return (await created.json()).secret;
}
