// The account mails, each as plain text (read by every client) and simple HTML with the same content.
import type { OutgoingMail } from "./enqueue-mail";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

type Body = { kind: string; to: string; subject: string; intro: string[]; action?: { label: string; url: string }; outro?: string[] };

export function composeMail({ kind, to, subject, intro, action, outro = [] }: Body): OutgoingMail {
  const text = [...intro, ...(action ? ["", `${action.label}: ${action.url}`, ""] : [""]), ...outro, "", "— Keyport"].join("\n");
  const paragraphs = (lines: string[]) => lines.map((l) => `<p style="margin:0 0 12px">${escapeHtml(l)}</p>`).join("");
  const button = action
    ? `<p style="margin:20px 0"><a href="${escapeHtml(action.url)}" style="background:#4f46e5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(action.label)}</a></p>` +
      `<p style="margin:0 0 12px;color:#555;font-size:13px">Or open this link: <a href="${escapeHtml(action.url)}">${escapeHtml(action.url)}</a></p>`
    : "";
  const html = `<!doctype html><html><body style="font-family:system-ui,-apple-system,sans-serif;font-size:15px;color:#111;max-width:560px;margin:0 auto;padding:24px">${paragraphs(intro)}${button}${paragraphs(outro)}<p style="color:#777;font-size:13px">— Keyport</p></body></html>`;
  return { to, subject, text, html, kind };
}

export const verifyEmailMail = ({ to, url }: { to: string; url: string }) =>
  composeMail({
    kind: "verify_email",
    to,
    subject: "Verify your email address for Keyport",
    intro: ["Confirm that this address belongs to your Keyport account. The link works once and expires in 24 hours."],
    action: { label: "Verify email address", url },
    outro: ["If you did not create a Keyport account, ignore this mail."],
  });

export const resetPasswordMail = ({ to, url }: { to: string; url: string }) =>
  composeMail({
    kind: "reset_password",
    to,
    subject: "Reset your Keyport password",
    intro: ["Someone asked to reset the password of your Keyport account. The link works once and expires in 1 hour."],
    action: { label: "Choose a new password", url },
    outro: ["If it was not you, ignore this mail: your password stays as it is."],
  });

export const passwordChangedMail = ({ to, sessionsUrl }: { to: string; sessionsUrl: string }) =>
  composeMail({
    kind: "password_changed",
    to,
    subject: "Your Keyport password was changed",
    intro: ["The password of your Keyport account was just changed, and every other session was signed out."],
    action: { label: "Review your sessions", url: sessionsUrl },
    outro: ["If this was not you, reset your password at once."],
  });

export const newSignInMail = ({ to, ip, userAgent, at, sessionsUrl }: { to: string; ip: string; userAgent: string | null; at: Date; sessionsUrl: string }) =>
  composeMail({
    kind: "new_sign_in",
    to,
    subject: "New sign-in to your Keyport account",
    intro: [
      "Your Keyport account was signed in to from a network it had not used before.",
      `When: ${at.toISOString()}`,
      `IP address: ${ip}`,
      `Device: ${(userAgent ?? "unknown").slice(0, 200)}`,
    ],
    action: { label: "Review your sessions", url: sessionsUrl },
    outro: ["If this was not you, sign that session out and change your password."],
  });

export const twoFactorChangedMail = ({ to, enabled, accountUrl }: { to: string; enabled: boolean; accountUrl: string }) =>
  composeMail({
    kind: enabled ? "two_factor_enabled" : "two_factor_disabled",
    to,
    subject: enabled ? "Two-factor authentication is on" : "Two-factor authentication was turned off",
    intro: [enabled ? "Two-factor authentication is now required to sign in to your Keyport account." : "Two-factor authentication was turned off for your Keyport account."],
    action: { label: "Open your account", url: accountUrl },
    outro: ["If this was not you, reset your password at once."],
  });

export const secondFactorGuessingMail = ({ to, failures, minutes, resetUrl }: { to: string; failures: number; minutes: number; resetUrl: string }) =>
  composeMail({
    kind: "second_factor_guessing",
    to,
    subject: "Someone is guessing your Keyport authentication codes",
    intro: [
      `Your Keyport password was entered correctly, followed by ${failures} wrong authentication codes within ${minutes} minutes.`,
      `For the next ${minutes} minutes only a recovery code can complete a sign-in to your account.`,
    ],
    action: { label: "Choose a new password", url: resetUrl },
    outro: ["If this was not you, someone knows your password: change it now."],
  });
