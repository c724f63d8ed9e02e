// One API's public page: its operations with the scopes, tiers and cost of each, and its scopes (no sign-in).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge, Card, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { Logo } from "@/components/portal/logo";
import { loadPublicApi } from "@/lib/apis/list-apis";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API" };

export default async function ApiDocsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const api = /^[a-z][a-z0-9-]{1,31}$/.test(slug) ? await loadPublicApi(slug) : null;
  if (!api) notFound();
  return (
    <div className="min-h-screen bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-5xl items-center gap-4 px-3 sm:px-6">
          <Logo href="/" className="shrink-0" />
          <Link href="/docs/api" className="text-sm text-slate-600 underline-offset-2 hover:underline">
            All APIs
          </Link>
        </div>
      </header>
      <main className="mx-auto max-w-5xl space-y-6 px-3 py-8 sm:px-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900 break-words">{api.name}</h1>
          <p className="mt-2 text-sm text-slate-600">
            Base path <code className="font-mono">{api.basePath}</code> ·{" "}
            <a className="font-medium text-brand-700 underline underline-offset-2" href={api.openapiUrl}>
              openapi.json
            </a>
          </p>
        </div>
        <Card className="overflow-x-auto p-0">
          <Table>
            <THead>
              <TR>
                <TH>Operation</TH>
                <TH>Scopes</TH>
                <TH>Tiers</TH>
                <TH>Cost</TH>
              </TR>
            </THead>
            <TBody>
              {api.routes.map((route) => (
                <TR key={`${route.method} ${route.path}`}>
                  <TD>
                    <span className="font-mono text-xs">
                      <Badge tone="blue">{route.method}</Badge> {api.basePath}
                      {route.path}
                    </span>
                    {route.summary ? <div className="text-xs text-slate-500">{route.summary}</div> : null}
                  </TD>
                  <TD className="font-mono text-xs">{route.scopes.length ? route.scopes.join(" ") : "none"}</TD>
                  <TD className="text-xs">{route.tiers === null ? "every tier" : route.tiers.join(", ") || "none"}</TD>
                  <TD>{route.cost}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
        {api.scopes.length ? (
          <Card className="p-4">
            <h2 className="text-base font-semibold text-slate-900">Scopes</h2>
            <dl className="mt-2 space-y-1 text-sm">
              {api.scopes.map((s) => (
                <div key={s.name} className="flex flex-wrap gap-2">
                  <dt className="font-mono text-xs">{s.name}</dt>
                  <dd className="text-slate-600">{s.description}</dd>
                </div>
              ))}
            </dl>
          </Card>
        ) : null}
      </main>
    </div>
  );
}
