// GET /api/manage/v1/admin/usage/export?from=&to=&granularity=hour|day&format=csv|ndjson — every project's usage, streamed (admin)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { streamUsageExport, usageExportQuery } from "@/lib/analytics/stream-usage-export";

export const dynamic = "force-dynamic";

export const GET = withUser({ admin: true }, async (request, { db }) => {
  const file = await streamUsageExport(db, { ...parseQuery(request, usageExportQuery), member: null });
  return new Response(file.body, {
    headers: { "Content-Type": file.contentType, "Content-Disposition": `attachment; filename="${file.filename}"`, "Cache-Control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
