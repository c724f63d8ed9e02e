// POST /api/manage/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver — send that event again (same webhook-id)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { redeliverDelivery } from "@/lib/webhooks/redeliver-delivery";

type Params = { webhookId: string; deliveryId: string };

export const POST = withUser<Params>({}, async (_request, ctx) => {
  const delivery = await redeliverDelivery(ctx.db, { webhookId: ctx.params.webhookId, deliveryId: ctx.params.deliveryId, member: ctx });
  return json({ delivery }, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
