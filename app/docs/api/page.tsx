// The public API reference (no sign-in): every operation of the OpenAPI document with request and response examples
// in curl, JavaScript and Python, its error statuses, and the rate-limit headers explained. A signed-in developer's
// examples carry the start of their newest key.
import type { Metadata } from "next";
import Link from "next/link";
import { Badge, ButtonLink, Card, CodeBlock } from "@/components/ui";
import { CodeTabs, LanguageProvider, type CodeSample } from "@/components/docs/code-tabs";
import { Logo } from "@/components/portal/logo";
import { docsOperations, type DocsOperation } from "@/lib/catalog/openapi-examples";
import { getPublicDocsContext } from "@/lib/catalog/get-public-docs-context";
import { openApiDocument } from "@/lib/catalog/openapi";
import { appUrl } from "@/lib/env";
import { ApiIndex } from "@/components/docs/api-index";
import { loadPublicApis } from "@/lib/apis/list-apis";
import { DocsSidebar } from "@/components/docs/docs-sidebar";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API reference" };

const METHOD_TONE: Record<string, "blue" | "green" | "amber" | "red"> = { GET: "blue", POST: "green", PATCH: "amber", PUT: "amber", DELETE: "red" };
const anchor = (op: DocsOperation) => op.operationId;
const samplePath = (path: string) => path.replace("{sku}", "NS-SERUM-VIT-C-30ML");

function samples(op: DocsOperation, origin: string, key: string): CodeSample[] {
  const url = `${origin}${samplePath(op.path)}`;
  const body = op.requestExample === null ? null : JSON.stringify(op.requestExample, null, 2);
  const curl = [`curl${op.method === "GET" ? "" : ` -X ${op.method}`} "${url}"`, `  -H "Authorization: Bearer ${key}"`];
  if (body) curl.push(`  -H "Content-Type: application/json"`, `  -d '${body.replace(/\n/g, "\n     ")}'`);
  const js = [
    `const response = await fetch("${url}", {`,
    `  method: "${op.method}",`,
    `  headers: { Authorization: \`Bearer \${process.env.KEYPORT_KEY}\`${body ? ', "Content-Type": "application/json"' : ""} },`,
    ...(body ? [`  body: JSON.stringify(${body.replace(/\n/g, "\n  ")}),`] : []),
    "});",
    op.response.status === "204" ? "if (!response.ok) console.error(await response.json());" : "const result = await response.json(); // problem+json when !response.ok",
    'console.log(response.status, response.headers.get("RateLimit"));',
  ];
  const py = [
    "import os, requests",
    "",
    `response = requests.${op.method.toLowerCase()}(`,
    `    "${url}",`,
    '    headers={"Authorization": f"Bearer {os.environ[\'KEYPORT_KEY\']}"},',
    ...(body ? [`    json=${body.replace(/\btrue\b/g, "True").replace(/\bfalse\b/g, "False").replace(/\bnull\b/g, "None").replace(/\n/g, "\n    ")},`] : []),
    ")",
    'print(response.status_code, response.headers.get("RateLimit"))',
    ...(op.response.status === "204" ? [] : ["print(response.json())"]),
  ];
  return [
    { language: "curl", label: "curl", code: curl.join(" \\\n") },
    { language: "javascript", label: "JavaScript", code: js.join("\n") },
    { language: "python", label: "Python", code: py.join("\n") },
  ];
}

export default async function PublicApiDocsPage() {
  const context = await getPublicDocsContext();
  // The configured public origin, never the request's Host or X-Forwarded-Proto (either can be spoofed).
  const origin = appUrl();
  const key = context.key ? `${context.key.start}…` : "kp_live_…";
  const operations = docsOperations(openApiDocument());
  const apis = await loadPublicApis();

  return (
    <div className="min-h-screen bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-5xl items-center gap-4 px-3 sm:px-6">
          <Logo href="/" className="shrink-0" />
          <nav aria-label="Docs" className="flex min-w-0 items-center gap-4 text-sm">
            <Link href="/docs/errors" className="text-slate-600 underline-offset-2 hover:text-slate-900 hover:underline">
              Errors
            </Link>
            <a href="/api/v1/openapi.json" className="hidden text-slate-600 underline-offset-2 hover:text-slate-900 hover:underline sm:inline">
              openapi.json
            </a>
          </nav>
          <div className="ml-auto">
            <ButtonLink href={context.signedIn ? "/dashboard" : "/signin"} variant="secondary" size="sm">
              {context.signedIn ? "Dashboard" : "Sign in"}
            </ButtonLink>
          </div>
        </div>
      </header>
      <div className="mx-auto max-w-6xl px-3 py-8 sm:px-6 sm:py-10 lg:grid lg:grid-cols-[15rem_minmax(0,1fr)] lg:items-start lg:gap-8">
      <aside className="mb-8 min-w-0 lg:mb-0">
        <DocsSidebar groups={[{ title: "Operations", items: operations.map((op) => ({ href: `#${anchor(op)}`, label: op.path, method: op.method, hint: op.summary })) }]} />
      </aside>
      <main className="min-w-0 space-y-8">
        <ApiIndex apis={apis} />
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">API reference</h1>
          <p className="mt-2 max-w-3xl text-sm text-slate-600">
            A product catalog and inventory, one per project. Generated from the{" "}
            <a className="font-medium text-brand-700 underline underline-offset-2" href="/api/v1/openapi.json">
              OpenAPI document
            </a>{" "}
            the server itself serves, so what you read here is what it checks.
          </p>
          <p className="mt-3 text-sm text-slate-600" data-testid="docs-key">
            {context.key ? (
              <>
                Examples use your newest key, <span className="font-medium text-slate-900">{context.key.name}</span>:{" "}
                <code className="rounded bg-brand-50 px-1.5 py-0.5 font-mono text-brand-700">{context.key.start}…</code> — paste the full secret you
                saved when you created it.
              </>
            ) : context.signedIn ? (
              <>
                You have no key yet:{" "}
                <Link href="/dashboard" className="font-medium text-brand-700 underline underline-offset-2">
                  create one in a project
                </Link>{" "}
                and these examples will use it.
              </>
            ) : (
              <>
                <Link href="/signin?next=/docs/api" className="font-medium text-brand-700 underline underline-offset-2">
                  Sign in
                </Link>{" "}
                and the examples will carry the start of your own key.
              </>
            )}
          </p>
        </div>

        <Card title="Authentication">
          <p className="text-sm text-slate-600">
            Send the key in <code className="rounded bg-slate-100 px-1">Authorization: Bearer &lt;key&gt;</code> or{" "}
            <code className="rounded bg-slate-100 px-1">X-API-Key: &lt;key&gt;</code>. Never in the URL: such requests are refused with{" "}
            <Link className="font-medium text-brand-700 underline underline-offset-2" href="/docs/errors#api_key_in_url">
              api_key_in_url
            </Link>
            . Keys start with <code className="rounded bg-slate-100 px-1">kp_live_</code> or <code className="rounded bg-slate-100 px-1">kp_test_</code>{" "}
            (the sandbox catalog).
          </p>
        </Card>

        <Card title="Rate-limit headers" id="rate-limit-headers" className="scroll-mt-4">
          <div className="space-y-3 text-sm text-slate-600">
            <p>
              Every answer to a valid key says where it stands, in the IETF RateLimit header fields (draft 10)
              {context.tier ? (
                <>
                  . Your key&apos;s tier is <span className="font-medium text-slate-900">{context.tier.name}</span>
                </>
              ) : null}
              :
            </p>
            <CodeBlock
              copy={false}
              code={[
                'RateLimit-Policy: "burst";q=5;w=1, "minute";q=60;w=60, "day";q=1000;w=86400, "month";q=10000;w=2592000',
                'RateLimit: "burst";r=4;t=1, "minute";r=59;t=42, "day";r=999;t=50400, "month";r=9999;t=1778400',
                "X-RateLimit-Limit: 5",
                "X-RateLimit-Remaining: 4",
                "X-RateLimit-Reset: 1",
              ].join("\n")}
            />
            <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[12rem_1fr]">
              <dt className="font-mono text-xs font-semibold text-slate-900">RateLimit-Policy</dt>
              <dd>Each policy of the key and of its project pool: its quota (q) and window in seconds (w). The month window is the real month.</dd>
              <dt className="font-mono text-xs font-semibold text-slate-900">RateLimit</dt>
              <dd>Per policy, the requests remaining (r) and seconds until it resets (t).</dd>
              <dt className="font-mono text-xs font-semibold text-slate-900">X-RateLimit-*</dt>
              <dd>The same for the one policy closest to running out, for clients that read the older headers.</dd>
              <dt className="font-mono text-xs font-semibold text-slate-900">Retry-After</dt>
              <dd>On a 429: seconds to wait. Violated-Policies names the policies that refused the request.</dd>
            </dl>
            <p>
              A 429 is <Link className="font-medium text-brand-700 underline underline-offset-2" href="/docs/errors#rate_limited">rate_limited</Link>{" "}
              (burst, minute) or <Link className="font-medium text-brand-700 underline underline-offset-2" href="/docs/errors#quota_exceeded">quota_exceeded</Link>{" "}
              (day, month). Refused requests count in your usage but spend no other limit.
            </p>
          </div>
        </Card>

        <LanguageProvider>
          <section aria-labelledby="operations" className="space-y-4">
            <h2 id="operations" className="text-lg font-semibold text-slate-900">
              Operations
            </h2>
            {operations.map((op) => (
              <Card key={op.operationId} id={anchor(op)} className="scroll-mt-4">
                <div className="space-y-4">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge tone={METHOD_TONE[op.method] ?? "gray"}>{op.method}</Badge>
                    <code className="font-mono text-sm font-medium break-all text-slate-900">{op.path}</code>
                    <h3 className="text-sm text-slate-600">— {op.summary}</h3>
                  </div>
                  {op.description && <p className="text-sm text-slate-600">{op.description.replace(/`/g, "")}</p>}
                  <CodeTabs label={`Example request: ${op.summary}`} samples={samples(op, origin, key)} />
                  <div>
                    <p className="mb-1.5 text-sm font-medium text-slate-800">Response {op.response.status}</p>
                    {op.response.example === null ? (
                      <p className="text-sm text-slate-600">No body.</p>
                    ) : (
                      <CodeBlock copy={false} code={JSON.stringify(op.response.example, null, 2)} />
                    )}
                  </div>
                  <details className="text-sm text-slate-600">
                    <summary className="cursor-pointer font-medium text-slate-800">Other answers ({op.errors.map((e) => e.status).join(", ")})</summary>
                    <dl className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-[3rem_1fr]">
                      {op.errors.map((e) => (
                        <div key={e.status} className="contents">
                          <dt className="font-mono font-semibold text-slate-900">{e.status}</dt>
                          <dd>{e.description}</dd>
                        </div>
                      ))}
                    </dl>
                  </details>
                </div>
              </Card>
            ))}
          </section>
        </LanguageProvider>

        <Card title="Errors">
          <p className="text-sm text-slate-600">
            Every error is <code className="rounded bg-slate-100 px-1">application/problem+json</code> with a stable <code>code</code> and the{" "}
            <code>requestId</code> of the request (find it in your project&apos;s request log). The{" "}
            <Link className="font-medium text-brand-700 underline underline-offset-2" href="/docs/errors">
              error reference
            </Link>{" "}
            lists every code, its status and what to do.
          </p>
        </Card>
      </main>
      </div>
    </div>
  );
}
