// POST /api/manage/v1/webhooks/{webhookId}/rotate-secret — a new signing secret (shown once); the old one keeps
// signing alongside it for `overlapSeconds` (default 24 h)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseOptionalBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate-webhook-secret";
import { rotateWebhookSecretInput, WEBHOOK_BODY_LIMIT } from "@/lib/webhooks/webhook-json";

type Params = { webhookId: string };

export const POST = withUser<Params>({}, async (request, ctx) => {
  const { overlapSeconds } = await parseOptionalBody(request, rotateWebhookSecretInput, WEBHOOK_BODY_LIMIT);
  const rotated = await rotateWebhookSecret(ctx.db, { webhookId: ctx.params.webhookId, member: ctx, actor: ctx.user, ip: ctx.ip, overlapSeconds });
  return json(rotated, { status: 201, headers: { "Cache-Control": "no-store" } });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
