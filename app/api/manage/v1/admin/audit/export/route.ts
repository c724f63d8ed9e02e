// GET /api/manage/v1/admin/audit/export?from=&to= — the audit log as NDJSON, oldest first, streamed (admin)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { auditExportQuery, exportAuditEvents } from "@/lib/admin/export-audit-events";

export const dynamic = "force-dynamic";

export const GET = withUser({ admin: true }, async (request, { db }) => {
  const query = parseQuery(request, auditExportQuery);
  return new Response(exportAuditEvents(db, query), {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": 'attachment; filename="keyport-audit.ndjson"',
      "Cache-Control": "no-store",
    },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
