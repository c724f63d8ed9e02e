// GET /api/manage/v1/webhooks/{webhookId}/deliveries?status=&limit=&before= — the delivery log, newest first
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { listDeliveries, listDeliveriesQuery } from "@/lib/webhooks/list-deliveries";

type Params = { webhookId: string };

export const GET = withUser<Params>({}, async (request, ctx) => {
  const query = parseQuery(request, listDeliveriesQuery);
  return json({ deliveries: await listDeliveries(ctx.db, { webhookId: ctx.params.webhookId, member: ctx, query }) });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
