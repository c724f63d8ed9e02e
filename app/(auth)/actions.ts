"use server";
// Server actions of the sign-in, sign-up and sign-out forms (Next.js checks their Origin against the host).
import { headers } from "next/headers";
import { CredentialsSignin } from "next-auth";
import { signIn, signOut } from "@/lib/auth/auth";
import { safeNext } from "@/lib/auth/safe-next";
import { isApiError } from "@/lib/http/errors";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { signUp } from "@/lib/users/sign-up";

export type FormState = {
  error?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
  /** A neutral message (the request for a two-factor code). */
  info?: string;
  /** The password was right and the account has two-factor on: ask for the code. */
  needCode?: boolean;
};

const MESSAGES: Record<string, string> = {
  invalid: "Incorrect email or password.",
  throttled: "Too many failed attempts. Wait 15 minutes, or sign in from a network you have used before.",
  suspended: "This account is suspended. Contact your administrator.",
  totp_required: "Enter the 6-digit code from your authenticator app, or a recovery code.",
  totp_invalid: "That code is not valid. Try the current code, or a recovery code.",
  totp_locked: "Too many wrong codes for this account. Sign in with one of your recovery codes, or wait 15 minutes.",
  password_disabled: "Password sign-in is turned off here: sign in with single sign-on.",
  ticket_invalid: "The sign-in with your provider expired. Sign in with your provider again.",
};

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

async function credentialsSignIn(email: string, password: string, redirectTo: string, code = ""): Promise<FormState | undefined> {
  try {
    await signIn("credentials", { email, password, code, redirectTo });
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      const needCode = error.code === "totp_required" || error.code === "totp_invalid" || error.code === "totp_locked";
      // The first ask for a code is a prompt, not a failure.
      if (error.code === "totp_required") return { info: MESSAGES.totp_required, values: { email }, needCode };
      return { error: MESSAGES[error.code] ?? MESSAGES.invalid, values: { email }, needCode };
    }
    throw error; // the redirect after success is thrown too
  }
}

export async function signInAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email").trim();
  const password = text(form, "password");
  const fieldErrors: Record<string, string> = {};
  if (!email) fieldErrors.email = "Enter your email address.";
  if (!password) fieldErrors.password = "Enter your password.";
  if (Object.keys(fieldErrors).length) return { fieldErrors, values: { email } };
  return (await credentialsSignIn(email, password, safeNext(form.get("next")), text(form, "code").trim())) ?? {};
}

export async function signUpAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = { email: text(form, "email").trim(), name: text(form, "name").trim() };
  const password = text(form, "password");
  const ip = (await headers()).get(CLIENT_IP_HEADER);
  try {
    await signUp({ input: { email: values.email, password, name: values.name || undefined }, ip });
  } catch (error) {
    if (!isApiError(error)) throw error;
    const fieldErrors: Record<string, string> = {};
    for (const e of error.options.errors ?? []) fieldErrors[e.path] ??= e.message;
    return { error: Object.keys(fieldErrors).length ? undefined : error.detail, fieldErrors, values };
  }
  return (await credentialsSignIn(values.email, password, safeNext(form.get("next")))) ?? {};
}

/** The second factor after a provider's redirect (an account with two-factor): the sealed ticket and a code. */
export async function providerSecondFactorAction(_prev: FormState, form: FormData): Promise<FormState> {
  const code = text(form, "code").trim();
  if (!code) return { fieldErrors: { code: "Enter the code from your authenticator app." } };
  try {
    await signIn("credentials", { ticket: text(form, "ticket"), code, redirectTo: safeNext(form.get("next")) });
  } catch (error) {
    if (error instanceof CredentialsSignin) return { error: MESSAGES[error.code] ?? MESSAGES.ticket_invalid };
    throw error;
  }
  return {};
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
