// Every API behind Keyport (the catalog and the registered ones), linking each one's page under /docs/api/{slug}.
import Link from "next/link";
import { Badge, Card } from "@/components/ui";
import type { PublicApiJson } from "@/lib/apis/serialize-api";

export function ApiIndex({ apis }: { apis: PublicApiJson[] }) {
  return (
    <Card className="p-4" data-testid="api-index">
      <h2 className="text-base font-semibold text-slate-900">All APIs</h2>
      <ul className="mt-3 divide-y divide-slate-100">
        {apis.map((api) => (
          <li key={api.slug} className="flex flex-wrap items-center gap-2 py-2 text-sm">
            <Link href={`/docs/api/${api.slug}`} className="font-medium text-brand-700 underline underline-offset-2">
              {api.name}
            </Link>
            <code className="font-mono text-xs text-slate-500">{api.basePath}</code>
            <span className="text-slate-500">
              {api.routes.length} operation{api.routes.length === 1 ? "" : "s"}
            </span>
            {api.readOnly ? <Badge tone="blue">built in</Badge> : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}
