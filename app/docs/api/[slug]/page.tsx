// One API's public docs (no sign-in): every operation from its OpenAPI document (or its routes) with parameters,
// request/response examples from the schemas, errors, rate-limit headers, curl/JavaScript/Python tabs, and the scopes,
// tiers and cost of each. Descriptions are the provider's CommonMark, rendered and sanitised on the server.
import { Suspense } from "react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge, Card, CodeBlock } from "@/components/ui";
import { Logo } from "@/components/portal/logo";
import { CodeTabs, LanguageProvider } from "@/components/docs/code-tabs";
import { TryIt, TryProvider } from "@/components/docs/try-it";
import { loadTryContext } from "@/lib/console/load-try-context";
import { OperationSidebar } from "@/components/docs/operation-sidebar";
import { loadApiDocs } from "@/lib/docs/load-api-docs";
import type { ApiDocsOperation } from "@/lib/docs/api-docs";
import { codeSamples } from "@/lib/docs/code-samples";
import { getPublicDocsContext } from "@/lib/catalog/get-public-docs-context";
import { appUrl } from "@/lib/env";

export const dynamic = "force-dynamic";

const SLUG = /^[a-z][a-z0-9-]{1,31}$/;
const METHOD_TONE: Record<string, "blue" | "green" | "amber" | "red"> = { GET: "blue", POST: "green", PATCH: "amber", PUT: "amber", DELETE: "red" };

/** What the gateway itself may answer for any operation, before or instead of the upstream. */
const GATEWAY_ERRORS = [
  { status: "401", code: "unauthorized", description: "No key, or a key that is unknown, revoked or expired." },
  { status: "403", code: "insufficient_scope", description: "The key lacks a scope the operation needs (tier_not_allowed: its tier does not reach it)." },
  { status: "429", code: "rate_limited", description: "A limit of the key or project ran out (wait Retry-After seconds), or credits_exhausted: the project's credits ran out." },
  { status: "502", code: "upstream_unavailable", description: "The API's upstream could not be reached or answered badly." },
  { status: "504", code: "upstream_timeout", description: "The upstream did not answer in time." },
];

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  const docs = SLUG.test(slug) ? await loadApiDocs(slug) : null;
  return { title: docs ? `${docs.title} API` : "API" };
}

const markdown = "prose-docs min-w-0 space-y-2 text-sm break-words text-slate-600 [&_a]:font-medium [&_a]:text-brand-700 [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_pre]:overflow-x-auto [&_ul]:list-disc [&_ul]:pl-5 [&_ol]:list-decimal [&_ol]:pl-5";

export default async function ApiDocsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const docs = SLUG.test(slug) ? await loadApiDocs(slug) : null;
  if (!docs) notFound();
  const { api, operations } = docs;
  const [context, tryContext] = await Promise.all([getPublicDocsContext(), loadTryContext()]);
  const origin = appUrl();
  const keyHint = context.key ? `${context.key.start}…` : "kp_live_…";

  return (
    <div className="min-h-screen bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-3 sm:px-6">
          <Logo href="/" className="shrink-0" />
          <nav aria-label="Docs" className="flex min-w-0 items-center gap-4 text-sm">
            <Link href="/docs/api" className="text-slate-600 underline-offset-2 hover:underline">
              All APIs
            </Link>
            <Link href="/docs/errors" className="text-slate-600 underline-offset-2 hover:underline">
              Errors
            </Link>
          </nav>
        </div>
      </header>
      <div className="mx-auto grid max-w-7xl gap-6 px-3 py-8 sm:px-6 lg:grid-cols-[16rem_minmax(0,1fr)]">
        <aside className="min-w-0">
          <OperationSidebar operations={operations.map((o) => ({ anchor: o.anchor, method: o.method, path: o.path, summary: o.summary }))} />
        </aside>
        <main className="min-w-0 space-y-6">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900">{docs.title}</h1>
            <p className="mt-2 text-sm text-slate-600">
              Base path <code className="font-mono">{api.basePath}</code>
              {docs.version ? <> · version {docs.version}</> : null} ·{" "}
              <a className="font-medium text-brand-700 underline underline-offset-2" href={api.openapiUrl}>
                openapi.json
              </a>
            </p>
            {docs.descriptionHtml ? <div className={`${markdown} mt-3`} data-testid="api-description" dangerouslySetInnerHTML={{ __html: docs.descriptionHtml }} /> : null}
          </div>

          <Card title="Keys, scopes and limits">
            <div className="space-y-3 text-sm text-slate-600">
              <p>
                Send a key in <code className="rounded bg-slate-100 px-1">Authorization: Bearer &lt;key&gt;</code>. Each operation names the scopes the key
                needs, the tiers that reach it and what one call costs in credits.{" "}
                {context.signedIn ? (
                  <Link href="/dashboard" className="font-medium text-brand-700 underline underline-offset-2">
                    Create a key in a project
                  </Link>
                ) : (
                  <Link href={`/signin?next=/docs/api/${api.slug}`} className="font-medium text-brand-700 underline underline-offset-2">
                    Sign in to create a key
                  </Link>
                )}
                .
              </p>
              {api.scopes.length ? (
                <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[14rem_1fr]">
                  {api.scopes.map((s) => (
                    <div key={s.name} className="contents">
                      <dt className="font-mono text-xs font-semibold break-all text-slate-900">{s.name}</dt>
                      <dd>{s.description || "—"}</dd>
                    </div>
                  ))}
                </dl>
              ) : null}
              <p>
                Every answer carries <code className="rounded bg-slate-100 px-1">RateLimit-Policy</code> and <code className="rounded bg-slate-100 px-1">RateLimit</code>{" "}
                (IETF draft 10: quota, remaining and reset per policy), <code className="rounded bg-slate-100 px-1">X-RateLimit-Limit</code>,{" "}
                <code className="rounded bg-slate-100 px-1">X-RateLimit-Remaining</code>, <code className="rounded bg-slate-100 px-1">X-RateLimit-Reset</code>, and on a
                429 <code className="rounded bg-slate-100 px-1">Retry-After</code>. See the{" "}
                <Link href="/docs/api#rate-limit-headers" className="font-medium text-brand-700 underline underline-offset-2">
                  rate-limit headers
                </Link>
                .
              </p>
            </div>
          </Card>

          <TryProvider value={{ ...tryContext, signInHref: `/signin?next=/docs/api/${api.slug}` }}>
            <LanguageProvider>
              <section aria-labelledby="operations" className="space-y-4">
                <h2 id="operations" className="text-lg font-semibold text-slate-900">
                  Operations ({operations.length})
                </h2>
                {operations.slice(0, FIRST_OPERATIONS).map((op) => (
                  <OperationCard key={op.anchor} op={op} slug={api.slug} origin={origin} keyHint={keyHint} />
                ))}
                {operations.length > FIRST_OPERATIONS ? (
                  <Suspense fallback={<LoadingMore count={operations.length - FIRST_OPERATIONS} />}>
                    <LaterOperations operations={operations.slice(FIRST_OPERATIONS)} slug={api.slug} origin={origin} keyHint={keyHint} />
                  </Suspense>
                ) : null}
              </section>
            </LanguageProvider>
          </TryProvider>
        </main>
      </div>
    </div>
  );
}

/**
 * The first operations are in the page's first bytes; the rest stream in after them, a chunk at a time, in the same
 * response. An API of 200 operations is about 3.5 MB of HTML and payload: rendered whole before the first byte, the
 * page took over 300 ms to start. Each chunk first yields a task, so what is rendered so far (the header, the sidebar,
 * the operations before it) is flushed while the next chunk renders.
 */
const FIRST_OPERATIONS = 12;
const CHUNK = 24;

type OperationProps = { slug: string; origin: string; keyHint: string };

function LoadingMore({ count }: { count: number }) {
  return (
    <p className="text-sm text-slate-600" role="status">
      Loading {count} more operation{count === 1 ? "" : "s"}…
    </p>
  );
}

async function LaterOperations({ operations, ...props }: { operations: ApiDocsOperation[] } & OperationProps) {
  await new Promise((resolve) => setTimeout(resolve, 0));
  const rest = operations.slice(CHUNK);
  return (
    <>
      {operations.slice(0, CHUNK).map((op) => (
        <OperationCard key={op.anchor} op={op} {...props} />
      ))}
      {rest.length ? (
        <Suspense fallback={<LoadingMore count={rest.length} />}>
          <LaterOperations operations={rest} {...props} />
        </Suspense>
      ) : null}
    </>
  );
}

function OperationCard({ op, slug, origin, keyHint }: { op: ApiDocsOperation } & OperationProps) {
  return (
    <Card id={op.anchor} className="scroll-mt-4" data-testid="operation">
      <div className="min-w-0 space-y-4">
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={METHOD_TONE[op.method] ?? "gray"}>{op.method}</Badge>
          <code className="font-mono text-sm font-medium break-all text-slate-900">{op.path}</code>
          {op.summary ? <h3 className="text-sm break-words text-slate-600">— {op.summary}</h3> : null}
        </div>
        {op.descriptionHtml ? <div className={markdown} dangerouslySetInnerHTML={{ __html: op.descriptionHtml }} /> : null}
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[6rem_1fr]">
          <dt className="font-medium text-slate-800">Scopes</dt>
          <dd className="font-mono text-xs break-all">{op.route?.scopes.length ? op.route.scopes.join(" ") : "none"}</dd>
          <dt className="font-medium text-slate-800">Tiers</dt>
          <dd className="text-xs">{!op.route || op.route.tiers === null ? "every tier" : op.route.tiers.join(", ") || "none"}</dd>
          <dt className="font-medium text-slate-800">Cost</dt>
          <dd className="text-xs">
            {op.route ? op.route.cost : 1} credit{op.route?.cost === 1 ? "" : "s"}
          </dd>
        </dl>
        {op.parameters.length ? (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Parameters of {op.method} {op.path}</caption>
              <thead>
                <tr className="border-b border-slate-200 text-xs text-slate-500">
                  <th scope="col" className="py-1 pr-3 font-medium">Parameter</th>
                  <th scope="col" className="py-1 pr-3 font-medium">In</th>
                  <th scope="col" className="py-1 pr-3 font-medium">Type</th>
                  <th scope="col" className="py-1 font-medium">Description</th>
                </tr>
              </thead>
              <tbody>
                {op.parameters.map((p) => (
                  <tr key={`${p.in}:${p.name}`} className="border-b border-slate-100 align-top">
                    <td className="py-1 pr-3 font-mono text-xs break-all text-slate-900">
                      {p.name}
                      {p.required ? <span className="ml-1 text-red-700">required</span> : null}
                    </td>
                    <td className="py-1 pr-3 text-xs">{p.in}</td>
                    <td className="py-1 pr-3 font-mono text-xs">{p.type}</td>
                    <td className="py-1">{p.descriptionHtml ? <div className={markdown} dangerouslySetInnerHTML={{ __html: p.descriptionHtml }} /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <CodeTabs
          label={`Example request: ${op.method} ${op.path}`}
          samples={codeSamples({ method: op.method === "ANY" ? "GET" : op.method, url: `${origin}${op.examplePath}`, body: op.requestExample, keyHint })}
        />
        <TryIt
          api={slug}
          operation={op.try}
          examples={Object.fromEntries(op.parameters.filter((p) => p.example !== null && p.example !== undefined).map((p) => [`${p.in}:${p.name}`, Array.isArray(p.example) ? p.example.join(",") : String(p.example)]))}
          bodyExample={op.requestExample === null || op.requestExample === undefined ? null : JSON.stringify(op.requestExample, null, 2)}
        />
        <div>
          <p className="mb-1.5 text-sm font-medium text-slate-800">Response {op.response.status}</p>
          {op.response.example === null ? (
            <p className="text-sm text-slate-600">{op.response.status === "204" ? "No body." : "Whatever the upstream answers."}</p>
          ) : (
            <CodeBlock copy={false} code={JSON.stringify(op.response.example, null, 2)} />
          )}
        </div>
        <details className="text-sm text-slate-600">
          <summary className="cursor-pointer font-medium text-slate-800">Errors</summary>
          <dl className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-[3rem_1fr]">
            {[...op.errors.filter((e) => !GATEWAY_ERRORS.some((g) => g.status === e.status)).map((e) => ({ ...e, code: null as string | null })), ...GATEWAY_ERRORS].map((e) => (
              <div key={e.status} className="contents">
                <dt className="font-mono font-semibold text-slate-900">{e.status}</dt>
                <dd className="break-words">
                  {e.code ? (
                    <>
                      <Link className="font-mono text-xs text-brand-700 underline" href={`/docs/errors#${e.code}`}>
                        {e.code}
                      </Link>{" "}
                    </>
                  ) : null}
                  {e.description}
                </dd>
              </div>
            ))}
          </dl>
        </details>
      </div>
    </Card>
  );
}
