// The key page's "What this key may call": per API, the routes its scopes and tier reach, and why the others are refused.
import Link from "next/link";
import { Badge, Card, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { ReachRow } from "@/lib/keys/key-reach";

export function KeyReachCard({ rows }: { rows: ReachRow[] }) {
  const allowed = rows.filter((r) => r.allowed).length;
  return (
    <Card title="What this key may call" description={`${allowed} of ${rows.length} routes, from its scopes and tier`} padded={false} data-testid="key-reach">
      <div className="p-4">
        <Table minWidth="32rem">
          <THead>
            <TR>
              <TH>API</TH>
              <TH>Route</TH>
              <TH className="text-right">Cost</TH>
              <TH>May call</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map((r) => (
              <TR key={`${r.api} ${r.method} ${r.path}`}>
                <TD className="text-xs">
                  <Link href={`/docs/api/${r.api}`} className="text-brand-700 underline underline-offset-2">
                    {r.apiName}
                  </Link>
                </TD>
                <TD className="font-mono text-xs break-all">
                  {r.method} {r.path}
                </TD>
                <TD className="text-right tabular-nums">{r.cost}</TD>
                <TD className="text-xs">{r.allowed ? <Badge tone="green">yes</Badge> : <span className="text-slate-600">no — {r.reason}</span>}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
    </Card>
  );
}
