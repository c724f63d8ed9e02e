// The API reference for signed-in developers: every /api/v1 endpoint with a curl example that uses their own key's
// start, the rate-limit headers, and the error format. Generated from the same OpenAPI document the API serves.
import Link from "next/link";
import { Badge, Card, CodeBlock, PageHeader } from "@/components/ui";
import { getMyDocsContext } from "@/lib/catalog/get-my-docs-context";
import { openApiDocument } from "@/lib/catalog/openapi";
import { appUrl } from "@/lib/env";

export const dynamic = "force-dynamic";
export const metadata = { title: "API reference" };

type Operation = { summary: string; description?: string; parameters?: { name: string; in: string }[] };

const EXAMPLE_BODIES: Record<string, unknown> = {
  "POST /api/v1/products": {
    sku: "NS-SERUM-VIT-C-30ML",
    name: "Vitamin C serum 30 ml",
    price: 899,
    currency: "INR",
    stock: 500,
    images: ["https://cdn.example.com/serum.jpg"],
    category: "skincare",
  },
  "PATCH /api/v1/products/{sku}": { price: 799 },
  "PUT /api/v1/inventory/{sku}": { stock: 120 },
};

const METHOD_TONE = { GET: "blue", POST: "green", PATCH: "amber", PUT: "amber", DELETE: "red" } as const;

function curl(method: string, path: string, origin: string, keyStart: string): string {
  const url = `${origin}${path.replace("{sku}", "NS-SERUM-VIT-C-30ML")}${method === "GET" && path === "/api/v1/products" ? "?limit=20" : ""}`;
  const lines = [`curl${method === "GET" ? "" : ` -X ${method}`} "${url}"`, `  -H "Authorization: Bearer ${keyStart}…"`];
  const body = EXAMPLE_BODIES[`${method} ${path}`];
  if (body) lines.push(`  -H "Content-Type: application/json"`, `  -d '${JSON.stringify(body, null, 2).replace(/\n/g, "\n     ")}'`);
  return lines.join(" \\\n");
}

const limit = (n: number | null | undefined) => (n == null ? "unlimited" : n.toLocaleString("en-US"));

export default async function DocsPage() {
  const { key, tier } = await getMyDocsContext();
  // The configured public origin, never the request's Host or X-Forwarded-Proto (either can be spoofed).
  const origin = appUrl();
  const keyStart = key?.start ?? "kp_live_XXXX";
  const paths = openApiDocument().paths as Record<string, Record<string, Operation>>;
  const operations = Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => method !== "parameters")
      .map(([method, op]) => ({ method: method.toUpperCase() as keyof typeof METHOD_TONE, path, op })),
  );

  return (
    <div className="space-y-8">
      <PageHeader
        title="API reference"
        description={
          <>
            The metered sample API: a product catalog and inventory, one catalog per project. Machine-readable:{" "}
            <a className="font-medium text-brand-700 underline underline-offset-2" href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>{" "}
            (OpenAPI 3.1).
          </>
        }
      />

      <Card title="Authentication">
        <div className="space-y-3">
        <p className="text-sm text-slate-600">
          Send your key in <code className="rounded bg-slate-100 px-1">Authorization: Bearer &lt;key&gt;</code> or{" "}
          <code className="rounded bg-slate-100 px-1">X-API-Key</code>. Never put it in the URL: such requests are refused with{" "}
          <Link className="font-medium text-brand-700 underline underline-offset-2" href="/docs/errors#api_key_in_url">
            api_key_in_url
          </Link>
          .
        </p>
        {key ? (
          <p className="text-sm text-slate-600" data-testid="docs-key">
            Examples use your newest key, <span className="font-medium text-slate-900">{key.name}</span> in{" "}
            <span className="font-medium text-slate-900">{key.projectName}</span>:{" "}
            <code className="rounded bg-brand-50 px-1.5 py-0.5 font-mono text-brand-700">{key.start}…</code>. Paste the full secret you saved when
            you created it (Keyport never shows it again).
          </p>
        ) : (
          <p className="text-sm text-slate-600" data-testid="docs-key">
            You have no API key yet.{" "}
            <Link className="font-medium text-brand-700 underline underline-offset-2" href="/dashboard">
              Create one in a project
            </Link>{" "}
            and the examples below will use it.
          </p>
        )}
        </div>
      </Card>

      <Card title="Rate limits and quotas">
        <div className="space-y-3">
        <p className="text-sm text-slate-600">
          Each key has a tier with a burst limit (per second), a per-minute limit, and daily and monthly quotas, aligned to the UTC calendar.
          {tier && (
            <>
              {" "}
              Your key&apos;s tier, <span className="font-medium text-slate-900">{tier.name}</span>: {limit(tier.burstPerSecond)} per second,{" "}
              {limit(tier.perMinute)} per minute, {limit(tier.perDay)} per day, {limit(tier.perMonth)} per month.
            </>
          )}{" "}
          Every response to a valid key says where you stand (IETF RateLimit headers, draft-10):
        </p>
        <CodeBlock
          copy={false}
          code={[
            'RateLimit-Policy: "burst";q=5;w=1, "minute";q=60;w=60, "day";q=1000;w=86400, "month";q=10000;w=2678400, "project-minute";q=60;w=60, "project-day";q=1000;w=86400, "project-month";q=10000;w=2678400',
            'RateLimit: "burst";r=4;t=1, "minute";r=59;t=42, "day";r=999;t=50400, "month";r=9999;t=1778400, "project-minute";r=57;t=42, "project-day";r=990;t=50400, "project-month";r=9950;t=1778400',
            "X-RateLimit-Limit: 5          # the policy closest to running out",
            "X-RateLimit-Remaining: 4",
            "X-RateLimit-Reset: 1          # seconds",
          ].join("\n")}
        />
        <p className="text-sm text-slate-600">
          When a limit is spent you get <code className="rounded bg-slate-100 px-1">429</code> with{" "}
          <Link className="font-medium text-brand-700 underline underline-offset-2" href="/docs/errors#rate_limited">
            rate_limited
          </Link>{" "}
          (burst, minute) or{" "}
          <Link className="font-medium text-brand-700 underline underline-offset-2" href="/docs/errors#quota_exceeded">
            quota_exceeded
          </Link>{" "}
          (day, month), a <code className="rounded bg-slate-100 px-1">Retry-After</code> in seconds and a{" "}
          <code className="rounded bg-slate-100 px-1">Violated-Policies</code> header. Refused requests do not use up your other limits, and
          they count in your usage.
        </p>
        <p className="text-sm text-slate-600" data-testid="docs-pool">
          Your project has a tier too, its <span className="font-medium text-slate-900">pool</span>: its per-minute, daily and monthly limits
          apply to the sum of all the project&apos;s keys, shown as the policies{" "}
          <code className="rounded bg-slate-100 px-1">&quot;project-minute&quot;</code>,{" "}
          <code className="rounded bg-slate-100 px-1">&quot;project-day&quot;</code> and{" "}
          <code className="rounded bg-slate-100 px-1">&quot;project-month&quot;</code> in the same headers. More keys never buy more traffic:
          a request is charged to the key and to the pool together, or to neither.
        </p>
        </div>
      </Card>

      <Card title="Test and live data">
        <p className="text-sm text-slate-600" data-testid="docs-sandbox">
          Each project has two catalogs. Keys created for the <code className="rounded bg-slate-100 px-1">test</code> environment (secrets
          starting <code className="rounded bg-slate-100 px-1">kp_test_</code>) read and write the project&apos;s sandbox catalog;{" "}
          <code className="rounded bg-slate-100 px-1">live</code> keys never see it, and test keys never see live products. The same sku
          may exist in both. Limits and usage count for both kinds of key alike.
        </p>
      </Card>

      <Card title="A typed client from the OpenAPI document">
        <div className="space-y-3">
          <p className="text-sm text-slate-600" data-testid="docs-typed-client">
            Every operation has an <code className="rounded bg-slate-100 px-1">operationId</code> and documents each status and header it can
            answer, so generators produce exact clients. With{" "}
            <code className="rounded bg-slate-100 px-1">openapi-typescript</code> and{" "}
            <code className="rounded bg-slate-100 px-1">openapi-fetch</code>:
          </p>
          <CodeBlock
            language="ts"
            code={[
              `// npx openapi-typescript ${origin}/api/v1/openapi.json --default-non-nullable false -o keyport.d.ts`,
              'import createClient from "openapi-fetch";',
              'import type { paths } from "./keyport";',
              "",
              `const api = createClient<paths>({ baseUrl: "${origin}", headers: { Authorization: \`Bearer \${process.env.KEYPORT_KEY}\` } });`,
              'const { data, error, response } = await api.GET("/api/v1/products/{sku}", { params: { path: { sku: "NS-SERUM-VIT-C-30ML" } } });',
              'if (error) console.error(response.status, error.code, error.detail); // a typed Problem',
              "else console.log(data.data.price, data.data.currency);",
            ].join("\n")}
          />
        </div>
      </Card>

      <section className="space-y-4">
        <h2 className="text-lg font-semibold text-slate-900">Endpoints</h2>
        {operations.map(({ method, path, op }) => (
          <Card key={`${method} ${path}`} id={`${method.toLowerCase()}-${path.replace(/[^a-z]+/gi, "-")}`}>
            <div className="space-y-3">
            <div className="flex flex-wrap items-center gap-3">
              <Badge tone={METHOD_TONE[method] ?? "gray"}>{method}</Badge>
              <code className="font-mono text-sm font-medium text-slate-900">{path}</code>
              <span className="text-sm text-slate-500">— {op.summary}</span>
            </div>
            {op.description && <p className="text-sm text-slate-600">{op.description.replace(/`/g, "")}</p>}
            <CodeBlock language="curl" code={curl(method, path, origin, keyStart)} />
            </div>
          </Card>
        ))}
      </section>

      <Card title="Errors">
        <div className="space-y-3">
        <p className="text-sm text-slate-600">
          Errors are RFC 9457 <code className="rounded bg-slate-100 px-1">application/problem+json</code>; <code>type</code> links to the{" "}
          <Link className="font-medium text-brand-700 underline underline-offset-2" href="/docs/errors">
            error reference
          </Link>
          . Quote the <code>requestId</code> when you contact support.
        </p>
        <CodeBlock
          copy={false}
          code={JSON.stringify(
            {
              type: "/docs/errors#validation_failed",
              title: "Validation failed",
              status: 422,
              detail: "Request body failed validation: price: must be an integer (minor units, e.g. cents or paise)",
              code: "validation_failed",
              requestId: "req_2x9QmZ…",
              errors: [{ path: "price", message: "must be an integer (minor units, e.g. cents or paise)" }],
            },
            null,
            2,
          )}
        />
        </div>
      </Card>
    </div>
  );
}
