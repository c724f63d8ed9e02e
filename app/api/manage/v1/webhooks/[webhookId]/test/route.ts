// POST /api/manage/v1/webhooks/{webhookId}/test — send a "ping" to this endpoint (admins and owners)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { sendTestEvent } from "@/lib/webhooks/send-test-event";

type Params = { webhookId: string };

export const POST = withUser<Params>({}, async (_request, ctx) => {
  return json({ delivery: await sendTestEvent(ctx.db, { webhookId: ctx.params.webhookId, member: ctx }) }, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
