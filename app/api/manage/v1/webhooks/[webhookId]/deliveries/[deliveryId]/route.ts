// GET /api/manage/v1/webhooks/{webhookId}/deliveries/{deliveryId} — one delivery with its attempts (request and response)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { getDelivery } from "@/lib/webhooks/get-delivery";

type Params = { webhookId: string; deliveryId: string };

export const GET = withUser<Params>({}, async (_request, ctx) => {
  return json(await getDelivery(ctx.db, { webhookId: ctx.params.webhookId, deliveryId: ctx.params.deliveryId, member: ctx }));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
