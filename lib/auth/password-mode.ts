// AUTH_PASSWORD=false: a single-sign-on-only deployment. No password sign-up or sign-in, and reset links are refused.
import { env } from "../env";
import { ApiError } from "../http/errors";

export const passwordSignInEnabled = () => env().AUTH_PASSWORD;

export function assertPasswordSignInEnabled(): void {
  if (!env().AUTH_PASSWORD) {
    throw new ApiError("forbidden", "Password sign-in is turned off on this Keyport: sign in with single sign-on.");
  }
}
