// GET /api/manage/v1/projects/{projectId}/usage/export?from=&to=&granularity=hour|day&format=csv|ndjson — streamed, per key, API and endpoint
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { streamUsageExport, usageExportQuery } from "@/lib/analytics/stream-usage-export";

type Params = { projectId: string };

export const dynamic = "force-dynamic";

export const GET = withUser<Params>({}, async (request, ctx) => {
  const file = await streamUsageExport(ctx.db, { ...parseQuery(request, usageExportQuery), projectId: ctx.params.projectId, member: ctx });
  return new Response(file.body, {
    headers: { "Content-Type": file.contentType, "Content-Disposition": `attachment; filename="${file.filename}"`, "Cache-Control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
