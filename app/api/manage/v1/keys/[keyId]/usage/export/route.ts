// GET /api/manage/v1/keys/{keyId}/usage/export?from=&to=&granularity= — the key's usage as CSV (owner only)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { exportKeyUsage, exportQuery } from "@/lib/analytics/export-key-usage";

type Params = { keyId: string };

export const GET = withUser<Params>({}, async (request, ctx) => {
  const { db, params } = ctx;
  const { filename, csv } = await exportKeyUsage(db, { ...parseQuery(request, exportQuery), keyId: params.keyId, member: ctx });
  return new Response(csv, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
