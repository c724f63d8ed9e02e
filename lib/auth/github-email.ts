// GitHub's profile email is whatever the user chose to make public (possibly unverified, possibly none): the address
// Keyport trusts is the verified primary one from GET /user/emails.
import { z } from "zod";

const githubEmail = z.object({ email: z.string(), primary: z.boolean().optional(), verified: z.boolean().optional() });

/** The verified primary address of a GET /user/emails answer (lower-cased), or null when there is none. */
export function pickGithubEmail(answer: unknown): string | null {
  if (!Array.isArray(answer)) return null;
  for (const item of answer) {
    const parsed = githubEmail.safeParse(item);
    if (parsed.success && parsed.data.primary === true && parsed.data.verified === true) {
      const email = parsed.data.email.trim().toLowerCase();
      return email.length > 0 && email.length <= 254 ? email : null;
    }
  }
  return null;
}
