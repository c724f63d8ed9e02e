// GET /api/manage/v1/projects/{projectId}/webhooks — the project's endpoints (any member); POST — add one (admins
// and owners; the signing secret is shown once)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { listWebhooks } from "@/lib/webhooks/list-webhooks";
import { createWebhookInput, WEBHOOK_BODY_LIMIT } from "@/lib/webhooks/webhook-json";

type Params = { projectId: string };

export const GET = withUser<Params>({}, async (_request, ctx) => {
  return json({ webhooks: await listWebhooks(ctx.db, { projectId: ctx.params.projectId, member: ctx }) });
});

export const POST = withUser<Params>({ verified: true }, async (request, ctx) => {
  const input = await parseBody(request, createWebhookInput, WEBHOOK_BODY_LIMIT);
  const created = await createWebhook(ctx.db, { projectId: ctx.params.projectId, member: ctx, actor: ctx.user, ip: ctx.ip, input });
  return json(created, { status: 201, headers: { "Cache-Control": "no-store" } });
});

export const { PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET", "POST"]);
