// Every API a developer can call through Keyport: what it is, which tiers reach it and their limits, how its upstream
// has been doing over the last hour (server-error share of its calls), and a link to its docs.
import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Card, PageHeader } from "@/components/ui";
import { loadApisPage } from "@/lib/apis/load-apis-page";
import { healthStatus } from "@/lib/apis/api-health";

export const metadata: Metadata = { title: "APIs" };

const STATUS = {
  operational: { tone: "green", label: "Operational" },
  degraded: { tone: "amber", label: "Degraded" },
  failing: { tone: "red", label: "Failing" },
  no_traffic: { tone: "gray", label: "No recent calls" },
} as const;

const limit = (n: number | null, unit: string) => (n === null ? `unlimited/${unit}` : `${n.toLocaleString("en")}/${unit}`);

export default async function ApisPage() {
  const { apis, tiers, health } = await loadApisPage();
  return (
    <>
      <PageHeader title="APIs" description="Every API you can call with a project's key, the tiers that reach it, and how its upstream is doing." />
      <ul className="space-y-4" data-testid="apis-list">
        {apis.map((api) => {
          const h = health.get(api.slug) ?? { total: 0, serverErrors: 0, status: healthStatus(0, 0) };
          const status = STATUS[h.status];
          const routeTiers = api.routes.map((r) => r.tiers);
          const open = routeTiers.some((t) => t === null);
          const reaching = open ? tiers : tiers.filter((t) => routeTiers.some((rt) => rt?.includes(t.name)));
          return (
            <li key={api.slug}>
              <Card>
                <div className="min-w-0 space-y-3">
                  <div className="flex flex-wrap items-center gap-2">
                    <h2 className="text-base font-semibold break-words text-slate-900">{api.name}</h2>
                    <code className="font-mono text-xs text-slate-500">{api.basePath}</code>
                    <Badge tone={status.tone}>{status.label}</Badge>
                  </div>
                  <p className="text-sm text-slate-600">
                    {api.routes.length} operation{api.routes.length === 1 ? "" : "s"}
                    {api.scopes.length ? ` · scopes ${api.scopes.map((s) => s.name).join(", ")}` : ""}
                    {h.total > 0 ? ` · last hour: ${h.total.toLocaleString("en")} calls, ${((h.serverErrors / h.total) * 100).toFixed(1)}\u00a0% server errors (502/504)` : ""}
                  </p>
                  <div className="text-sm text-slate-600">
                    <span className="font-medium text-slate-800">Tiers: </span>
                    {reaching.length === 0 ? (
                      "none of the current tiers"
                    ) : (
                      <ul className="mt-1 grid gap-1 sm:grid-cols-2">
                        {reaching.map((t) => (
                          <li key={t.id} className="text-xs">
                            <span className="font-medium text-slate-900">{t.name}</span>: {limit(t.perMinute, "min")}, {limit(t.perDay, "day")}, {limit(t.perMonth, "month")}
                          </li>
                        ))}
                      </ul>
                    )}
                    {!open && reaching.length ? <p className="mt-1 text-xs text-slate-500">Some operations are limited to the tiers listed on their docs.</p> : null}
                  </div>
                  <Link href={`/docs/api/${api.slug}`} className="inline-block text-sm font-medium text-brand-700 underline underline-offset-2">
                    Read the {api.name} docs
                  </Link>
                </div>
              </Card>
            </li>
          );
        })}
      </ul>
    </>
  );
}
