// Insights: zombie keys (one-click revoke), keys that went quiet, and spiking keys.
import Link from "next/link";
import { Badge, Card } from "@/components/ui";
import { formatExact, formatRelative, formatUnit } from "@/components/charts";
import type { Insights } from "@/lib/analytics/find-insights";
import { RevokeKeyButton } from "./revoke-key-button";

export function InsightsCard({ insights, keyHref, admin = false }: { insights: Insights; keyHref: (projectId: string, keyId: string) => string; admin?: boolean }) {
  const { zombies, quiet, spikes, zombieDays } = insights;
  const nothing = zombies.length + quiet.length + spikes.length === 0;
  return (
    <Card title="Insights" description={`Zombie keys (unused for ${formatUnit(zombieDays, "day")}), keys that went quiet, and traffic spikes`}>
      {nothing ? (
        <p className="py-4 text-center text-sm text-slate-500">Nothing unusual: every key is in use and traffic looks steady.</p>
      ) : (
        <div className="space-y-5">
          {spikes.length > 0 && (
            <Section title="Spikes" tone="red" hint="last hour ≥ 10× the trailing hourly average">
              {spikes.map((s) => (
                <Row key={s.keyId} name={s.name} href={keyHref(s.projectId, s.keyId)} project={admin ? s.projectName : undefined}>
                  <span className="tabular-nums">
                    {formatExact(s.lastHour)} in the last hour vs {formatExact(s.baselineHourly)}/h usual
                    {s.factor !== null && ` (${Math.round(s.factor)}×)`}
                  </span>
                </Row>
              ))}
            </Section>
          )}
          {quiet.length > 0 && (
            <Section title="Went quiet" tone="amber" hint="active last week, about nothing in the last 24 hours">
              {quiet.map((q) => (
                <Row key={q.keyId} name={q.name} href={keyHref(q.projectId, q.keyId)} project={admin ? q.projectName : undefined}>
                  <span className="tabular-nums">
                    {formatExact(q.last24h)} in 24 h vs {formatExact(q.baselineDaily)}/day before
                  </span>
                </Row>
              ))}
            </Section>
          )}
          {zombies.length > 0 && (
            <Section title="Zombie keys" tone="gray" hint={`active but unused for ${formatUnit(zombieDays, "day")} or more — revoke what nobody needs`}>
              {zombies.map((z) => (
                <Row key={z.keyId} name={z.name} href={keyHref(z.projectId, z.keyId)} project={admin ? z.projectName : undefined} action={<RevokeKeyButton keyId={z.keyId} keyName={z.name} admin={admin} />}>
                  {z.lastUsedAt ? `last used ${formatRelative(z.lastUsedAt)}` : `never used (created ${formatRelative(z.createdAt)})`}
                </Row>
              ))}
            </Section>
          )}
        </div>
      )}
    </Card>
  );
}

function Section({ title, hint, tone, children }: { title: string; hint: string; tone: "red" | "amber" | "gray"; children: React.ReactNode }) {
  return (
    <section>
      <h3 className="mb-2 flex items-center gap-2 text-sm font-semibold text-slate-800">
        <Badge tone={tone}>{title}</Badge>
        <span className="font-normal text-slate-500">{hint}</span>
      </h3>
      <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">{children}</ul>
    </section>
  );
}

function Row({ name, href, project, action, children }: { name: string; href: string; project?: string; action?: React.ReactNode; children: React.ReactNode }) {
  return (
    <li className="flex items-center justify-between gap-4 px-3 py-2 text-sm">
      <div className="min-w-0">
        <Link href={href} className="block truncate font-medium text-brand-700 hover:underline" title={name}>
          {name}
        </Link>
        {project && <span className="block truncate text-xs text-slate-500">{project}</span>}
      </div>
      <div className="flex shrink-0 items-center gap-3 text-slate-600">
        {children}
        {action}
      </div>
    </li>
  );
}
