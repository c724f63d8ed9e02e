// The error reference: one anchor per error code. Problem `type` URIs point here (/docs/errors#<code>). Public, so a
// client developer without a portal account can follow a link from a response.
import Link from "next/link";
import { Logo } from "@/components/portal/logo";
import { ERROR_CODES, type ErrorCode } from "@/lib/http/errors";

export const metadata = { title: "Error reference" };

/** What each code means for the caller and what to do about it. */
const HELP: Partial<Record<ErrorCode, string>> = {
  invalid_json: "The body could not be parsed as JSON, or nests arrays and objects deeper than 64 levels. Send a JSON object with Content-Type: application/json.",
  invalid_request: "A path segment or query parameter holds a NUL character or is not valid percent-encoded UTF-8; the detail names it.",
  email_not_verified: "This account's email address is not verified yet: open the link we mailed, or ask for a new one in your account settings. Until then it cannot mint tokens or keys, turn on two-factor, add webhooks or invite anyone.",
  bad_request: "The request is malformed in a way no more specific code covers; the detail says how.",
  missing_api_key: "No credentials were sent. Send Authorization: Bearer <key> or X-API-Key: <key>. The response carries WWW-Authenticate: Bearer.",
  api_key_in_url: "A key was found in the query string. Keys in URLs end up in logs and browser histories: move it to a header and rotate the key.",
  invalid_api_key: "The key is malformed, fails its checksum, or does not exist. Check for copy-and-paste truncation.",
  revoked_api_key: "The key was revoked by its owner or an admin. Create a new key.",
  expired_api_key: "The key passed its expiry date, or this secret was replaced by a rotation and its grace period ended. Use the current secret.",
  unauthorized: "The management API needs a dashboard session or a management token (Authorization: Bearer <token>).",
  invalid_credentials: "The email or password is wrong.",
  account_suspended: "The account that owns this key is suspended by an admin. Every key of the account is refused until it is reinstated.",
  key_disabled: "The key's owner disabled it (reversible, unlike a revoke). Enable it again in the portal or with the management API.",
  ip_not_allowed: "The key has an IP allowlist and this request came from outside it. Call from an allowed address or edit the allowlist.",
  insufficient_scope: "The key lacks the scope this endpoint needs; the detail names it. Add the scope to the key.",
  forbidden: "You are signed in but not allowed to do this (for example, an admin-only action).",
  cross_site_request: "A cookie-authenticated change came from another site. Use the dashboard, or a management token from scripts.",
  not_found: "No such resource — or it belongs to someone else, which looks exactly the same from the outside.",
  method_not_allowed: "The endpoint exists but not with this method; the Allow header lists the ones it answers.",
  conflict: "The resource already exists, for example a product with the same sku in this project.",
  payload_too_large: "The body is over the route's limit: 64 KiB on /api/v1, 16 KiB on management and account routes.",
  unsupported_media_type: "The body's Content-Type is not one this endpoint reads.",
  validation_failed: "The body or query failed validation. errors lists each problem with its path (e.g. price, images.3).",
  rate_limited: "A short-term limit (burst per second, or per minute) is spent. Wait Retry-After seconds; Violated-Policies names the limit.",
  quota_exceeded: "A day or month quota is spent. It resets at UTC midnight or on the 1st of the month (Retry-After says when); an admin can move the key to a larger tier.",
  too_many_attempts: "Too many failed sign-in attempts for this account or address. Wait and try again.",
  internal_error: "Something failed on the server. Nothing about it is exposed; quote the requestId to support (the key's owner finds it in the project's request log).",
  limiter_unavailable: "The rate limiter's store is unreachable and the server is configured to refuse requests it cannot count (fail closed). Retry shortly.",
  not_ready: "The server is starting or lost a dependency; retry shortly.",
};

export default function ErrorReferencePage() {
  const codes = Object.entries(ERROR_CODES) as [ErrorCode, (typeof ERROR_CODES)[ErrorCode]][];
  return (
    <div className="min-h-screen bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-4xl items-center gap-6 px-4 sm:px-6">
          <Logo />
          <Link href="/docs" className="text-sm text-slate-600 hover:text-slate-900">
            API reference
          </Link>
        </div>
      </header>
      <main className="mx-auto max-w-4xl space-y-6 px-4 py-10 sm:px-6">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Error reference</h1>
          <p className="mt-2 text-sm text-slate-600">
            Every error is an RFC 9457 <code className="rounded bg-slate-100 px-1">application/problem+json</code> body with{" "}
            <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code>, <code>code</code> and <code>requestId</code>. Match
            on <code>code</code>; the text may change.
          </p>
        </div>
        <dl className="divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white">
          {codes.map(([code, { status, title }]) => (
            <div key={code} id={code} className="scroll-mt-4 px-5 py-4 target:bg-brand-50">
              <dt className="flex flex-wrap items-center gap-3">
                <a href={`#${code}`} className="font-mono text-sm font-semibold text-slate-900 hover:text-brand-600">
                  {code}
                </a>
                <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-600">{status}</span>
                <span className="text-sm text-slate-500">{title}</span>
              </dt>
              <dd className="mt-1.5 text-sm text-slate-600">{HELP[code] ?? title}</dd>
            </div>
          ))}
        </dl>
      </main>
    </div>
  );
}
