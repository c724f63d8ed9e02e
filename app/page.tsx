import { ButtonLink } from "@/components/ui";
import { Logo } from "@/components/portal/logo";
import { getCurrentUser } from "@/lib/auth/current-user";

export const dynamic = "force-dynamic";

const FEATURES = [
  {
    title: "Scoped API keys",
    text: "Issue live and test keys with exactly the scopes a client needs, optional expiry and IP allowlists. Secrets are shown once and stored hashed.",
    icon: "M15.75 5.25a3 3 0 0 1 3 3m3 0a6 6 0 0 1-7.03 5.91c-.57-.1-1.17.03-1.58.44L10.5 17.25H8.25v2.25H6v2.25H2.25v-2.82c0-.6.24-1.17.66-1.6l6.16-6.15c.41-.41.54-1.01.44-1.58A6 6 0 1 1 21.75 8.25Z",
  },
  {
    title: "Rate limits and quotas",
    text: "Burst, per-minute, daily and monthly limits per tier, shared across instances through Redis, with standard RateLimit headers on every response.",
    icon: "M3.75 13.5 10.5 3v7.5h9.75L13.5 21v-7.5H3.75Z",
  },
  {
    title: "Usage you can see",
    text: "Every metered request is counted once, 429s included. Charts per key and per project, by minute, hour or day, within seconds.",
    icon: "M3 13.125C3 12.504 3.504 12 4.125 12h2.25c.621 0 1.125.504 1.125 1.125v6.75C7.5 20.496 6.996 21 6.375 21h-2.25A1.125 1.125 0 0 1 3 19.875v-6.75ZM9.75 8.625c0-.621.504-1.125 1.125-1.125h2.25c.621 0 1.125.504 1.125 1.125v11.25c0 .621-.504 1.125-1.125 1.125h-2.25a1.125 1.125 0 0 1-1.125-1.125V8.625ZM16.5 4.125c0-.621.504-1.125 1.125-1.125h2.25C20.496 3 21 3.504 21 4.125v15.75c0 .621-.504 1.125-1.125 1.125h-2.25a1.125 1.125 0 0 1-1.125-1.125V4.125Z",
  },
  {
    title: "Rotation without downtime",
    text: "Rotate a secret and keep the old one working for a grace period you choose. Quotas belong to the key, so rotation never resets them.",
    icon: "M16.023 9.348h4.992v-.001M2.985 19.644v-4.992m0 0h4.992m-4.993 0 3.181 3.183a8.25 8.25 0 0 0 13.803-3.7M4.031 9.865a8.25 8.25 0 0 1 13.803-3.7l3.181 3.182m0-4.991v4.99",
  },
  {
    title: "Instant revocation",
    text: "Revoke a key and every instance refuses it in under a second. Admins can suspend an account and all of its keys at once.",
    icon: "M18.364 18.364A9 9 0 0 0 5.636 5.636m12.728 12.728A9 9 0 0 1 5.636 5.636m12.728 12.728L5.636 5.636",
  },
  {
    title: "Audit log and automation",
    text: "Who created, rotated or revoked what, from where. Everything the dashboard does, a script can do through the management API.",
    icon: "M9 12h3.75M9 15h3.75M9 18h3.75m3 .75H18a2.25 2.25 0 0 0 2.25-2.25V6.108c0-1.135-.845-2.098-1.976-2.192a48.424 48.424 0 0 0-1.123-.08m-5.801 0c-.065.21-.1.433-.1.664 0 .414.336.75.75.75h4.5a.75.75 0 0 0 .75-.75 2.25 2.25 0 0 0-.1-.664m-5.8 0A2.251 2.251 0 0 1 13.5 2.25H15c1.012 0 1.867.668 2.15 1.586m-5.8 0c-.376.023-.75.05-1.124.08C9.095 4.01 8.25 4.973 8.25 6.108V8.25m0 0H4.875c-.621 0-1.125.504-1.125 1.125v11.25c0 .621.504 1.125 1.125 1.125h9.75c.621 0 1.125-.504 1.125-1.125V9.375c0-.621-.504-1.125-1.125-1.125H8.25Z",
  },
];

const STEPS = [
  { title: "Create a project", text: "One project per app or environment, with its own catalog and usage." },
  { title: "Issue a key", text: "Pick scopes, an expiry and allowed IPs. Copy the secret once." },
  { title: "Call the API", text: "Send it as a Bearer token. Limits, metering and audit are handled for you." },
];

const SAMPLE = `$ curl https://api.example.com/api/v1/products \\
    -H "Authorization: Bearer kp_live_4f9K…b2Qx"

HTTP/1.1 200 OK
RateLimit-Policy: "burst";q=5;w=1, "minute";q=60;w=60
RateLimit: "burst";r=4;t=1, "minute";r=59;t=60
X-Request-Id: req_Jx2mQ8vN0sKp

{ "data": [{ "sku": "NS-SERUM-VIT-C-30ML", "price": 899, … }],
  "nextCursor": null }`;

export default async function LandingPage() {
  const user = await getCurrentUser();
  return (
    <div className="min-h-screen bg-white">
      <header className="border-b border-slate-100">
        <div className="mx-auto flex h-16 max-w-6xl items-center justify-between gap-2 px-3 sm:px-6">
          <Logo className="shrink-0" />
          <nav aria-label="Account" className="flex items-center gap-1 sm:gap-2">
            {/* On a phone the header keeps only the account buttons; the docs link is in the hero. */}
            <span className="hidden sm:contents">
              <ButtonLink href="/docs/api" variant="ghost">
                Docs
              </ButtonLink>
            </span>
            {user ? (
              <ButtonLink href="/dashboard">Go to dashboard</ButtonLink>
            ) : (
              <>
                <ButtonLink href="/signin" variant="ghost" className="px-2 sm:px-4">
                  Sign in
                </ButtonLink>
                <ButtonLink href="/signup" className="px-3 sm:px-4">
                  Get started
                </ButtonLink>
              </>
            )}
          </nav>
        </div>
      </header>

      <main>
        <section className="relative overflow-hidden bg-gradient-to-b from-brand-50 via-white to-white">
          <div className="mx-auto grid max-w-6xl items-center gap-12 px-4 py-20 sm:px-6 lg:grid-cols-2 lg:py-28">
            <div>
              <p className="inline-flex items-center gap-2 rounded-full bg-white px-3 py-1 text-xs font-medium text-brand-700 ring-1 ring-brand-100">
                <span className="size-1.5 rounded-full bg-emerald-500" aria-hidden />
                Self-hosted · open configuration · no vendor lock-in
              </p>
              <h1 className="mt-6 text-4xl font-semibold tracking-tight text-slate-900 sm:text-5xl">
                The developer portal for <span className="text-brand-600">your API</span>
              </h1>
              <p className="mt-5 max-w-xl text-lg leading-relaxed text-slate-600">
                Keyport gives your developers scoped API keys, fair rate limits and clear usage charts, and gives you
                revocation, tiers and an audit trail. Run it next to your API with PostgreSQL and Redis.
              </p>
              <div className="mt-8 flex flex-wrap gap-3">
                <ButtonLink href={user ? "/dashboard" : "/signup"} size="lg">
                  {user ? "Open your projects" : "Create a free account"}
                </ButtonLink>
                {!user && (
                  <ButtonLink href="/signin" size="lg" variant="secondary">
                    Sign in
                  </ButtonLink>
                )}
                <ButtonLink href="/docs/api" size="lg" variant="ghost">
                  API docs
                </ButtonLink>
              </div>
            </div>
            <div className="min-w-0 rounded-xl bg-slate-900 shadow-2xl ring-1 ring-slate-900/10 dark:bg-slate-100">
              <div className="flex items-center gap-1.5 border-b border-slate-800 px-4 py-3 dark:border-slate-200" aria-hidden>
                <span className="size-2.5 rounded-full bg-red-400/80" />
                <span className="size-2.5 rounded-full bg-amber-400/80" />
                <span className="size-2.5 rounded-full bg-emerald-400/80" />
                <span className="ml-3 text-xs text-slate-400 dark:text-slate-600">terminal</span>
              </div>
              <pre tabIndex={0} className="overflow-x-auto p-5 font-mono text-[12.5px] leading-relaxed text-slate-200 dark:text-slate-800" aria-label="Example request with an API key">
                {SAMPLE}
              </pre>
            </div>
          </div>
        </section>

        <section aria-labelledby="features" className="mx-auto max-w-6xl px-4 py-20 sm:px-6">
          <h2 id="features" className="text-3xl font-semibold tracking-tight text-slate-900">
            Everything between a key and a request
          </h2>
          <p className="mt-3 max-w-2xl text-slate-600">Authentication, authorization, limits and metering in one pipeline, with a dashboard on top.</p>
          <ul className="mt-12 grid gap-8 sm:grid-cols-2 lg:grid-cols-3">
            {FEATURES.map((f) => (
              <li key={f.title} className="rounded-xl border border-slate-200 p-6">
                <span className="flex size-10 items-center justify-center rounded-lg bg-brand-50 text-brand-600" aria-hidden>
                  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.6" className="size-5">
                    <path strokeLinecap="round" strokeLinejoin="round" d={f.icon} />
                  </svg>
                </span>
                <h3 className="mt-4 font-semibold text-slate-900">{f.title}</h3>
                <p className="mt-2 text-sm leading-relaxed text-slate-600">{f.text}</p>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="how" className="border-y border-slate-100 bg-slate-50">
          <div className="mx-auto max-w-6xl px-4 py-20 sm:px-6">
            <h2 id="how" className="text-3xl font-semibold tracking-tight text-slate-900">
              From sign-up to first request in a minute
            </h2>
            <ol className="mt-10 grid gap-6 md:grid-cols-3">
              {STEPS.map((s, i) => (
                <li key={s.title} className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
                  <span className="flex size-8 items-center justify-center rounded-full bg-brand-600 text-sm font-semibold text-white">{i + 1}</span>
                  <h3 className="mt-4 font-semibold text-slate-900">{s.title}</h3>
                  <p className="mt-1 text-sm text-slate-600">{s.text}</p>
                </li>
              ))}
            </ol>
            <div className="mt-12 flex flex-col items-start justify-between gap-6 rounded-2xl bg-brand-600 px-8 py-10 text-white sm:flex-row sm:items-center">
              <div>
                <p className="text-xl font-semibold">Ready to hand out your first key?</p>
                <p className="mt-1 text-white">Free tier included: 60 requests a minute, 10,000 a month.</p>
              </div>
              <ButtonLink href={user ? "/dashboard" : "/signup"} variant="secondary" size="lg">
                {user ? "Go to dashboard" : "Get started"}
              </ButtonLink>
            </div>
          </div>
        </section>
      </main>

      <footer className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-4 py-10 text-sm text-slate-500 sm:px-6">
        <Logo />
        <p>Keyport — a self-hostable developer portal. Your keys, your database.</p>
      </footer>
    </div>
  );
}
