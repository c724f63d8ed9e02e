// GET /api/manage/v1/admin/audit?actor=&action=&target=&from=&to=&limit=&cursor= — audit events, newest first (admin)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { auditQuery, listAuditEvents } from "@/lib/admin/list-audit-events";

export const GET = withUser({ admin: true }, async (request, { db }) => {
  return json(await listAuditEvents(db, parseQuery(request, auditQuery)));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
