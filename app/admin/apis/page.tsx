// Admin APIs: the registry — the built-in catalog (read-only) and every registered API with its routes.
import type { Metadata } from "next";
import { ApiRegistrar, RotateSecretButton } from "@/components/admin/api-registrar";
import { Badge, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { loadAdminApis } from "@/lib/admin/load-admin-pages";

export const metadata: Metadata = { title: "APIs" };

export default async function AdminApisPage() {
  const apis = await loadAdminApis();
  return (
    <div>
      <PageHeader title="APIs" description="The provider's APIs behind the gateway (/gw/{slug}/…) and the verify API." actions={<ApiRegistrar />} />
      <Table>
        <THead>
          <TR>
            <TH className="w-[22%]">API</TH>
            <TH>Upstream</TH>
            <TH>Routes</TH>
            <TH className="w-[14%] text-right">
              <span className="sr-only">Actions</span>
            </TH>
          </TR>
        </THead>
        <TBody>
          {apis.map((api) => (
            <TR key={api.id} data-testid={`api-${api.slug}`}>
              <TD>
                <span className="block truncate font-medium text-slate-900" title={api.name}>
                  {api.name}
                </span>
                <span className="block truncate font-mono text-xs text-slate-500">{api.basePath}</span>
              </TD>
              <TD className="font-mono text-xs">{api.upstreamUrl ?? <Badge tone="blue">built in</Badge>}</TD>
              <TD truncate={false}>
                <ul className="space-y-0.5 text-xs">
                  {api.routes.map((r) => (
                    <li key={`${r.method} ${r.path}`} className="font-mono">
                      {r.method} {r.path}
                      <span className="text-slate-500">
                        {" "}
                        · cost {r.cost}
                        {r.scopes.length ? ` · ${r.scopes.join(" ")}` : ""}
                        {r.tiers ? ` · tiers ${r.tiers.join(", ")}` : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              </TD>
              <TD className="text-right">{api.readOnly ? null : <RotateSecretButton apiId={api.id} slug={api.slug} />}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
