// GET /api/manage/v1/projects/{projectId}/keys — the project's keys (any member); POST — create one (developer or
// higher; the secret is shown once)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { createKey, createKeyInput } from "@/lib/keys/create-key";
import { listKeys } from "@/lib/keys/list-keys";

type Params = { projectId: string };

export const GET = withUser<Params>({}, async (_request, ctx) => {
  return json({ keys: await listKeys(ctx.db, { projectId: ctx.params.projectId, member: ctx }) });
});

export const POST = withUser<Params>({ verified: true }, async (request, ctx) => {
  const input = await parseBody(request, createKeyInput);
  const { key, secret } = await createKey(ctx.db, { projectId: ctx.params.projectId, member: ctx, actor: ctx.user, ip: ctx.ip, input });
  return json({ key, secret }, { status: 201, headers: { "Cache-Control": "no-store" } });
});

export const { PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET", "POST"]);
