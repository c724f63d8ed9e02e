// GET, PATCH, DELETE /api/manage/v1/webhooks/{webhookId} — read (any member), edit or delete (admins and owners)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json, noContent } from "@/lib/http/respond";
import { deleteWebhook } from "@/lib/webhooks/delete-webhook";
import { getWebhook } from "@/lib/webhooks/get-webhook";
import { updateWebhook } from "@/lib/webhooks/update-webhook";
import { updateWebhookInput, WEBHOOK_BODY_LIMIT } from "@/lib/webhooks/webhook-json";

type Params = { webhookId: string };

export const GET = withUser<Params>({}, async (_request, ctx) => {
  return json({ webhook: await getWebhook(ctx.db, { webhookId: ctx.params.webhookId, member: ctx }) });
});

export const PATCH = withUser<Params>({}, async (request, ctx) => {
  const input = await parseBody(request, updateWebhookInput, WEBHOOK_BODY_LIMIT);
  return json({ webhook: await updateWebhook(ctx.db, { webhookId: ctx.params.webhookId, member: ctx, actor: ctx.user, ip: ctx.ip, input }) });
});

export const DELETE = withUser<Params>({}, async (_request, ctx) => {
  await deleteWebhook(ctx.db, { webhookId: ctx.params.webhookId, member: ctx, actor: ctx.user, ip: ctx.ip });
  return noContent();
});

export const { POST, PUT, OPTIONS } = manageOtherMethods(["GET", "PATCH", "DELETE"]);
