// GET /api/manage/v1/projects/{projectId}/keys — the project's keys; POST — create one (the secret is shown once)
import { withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { createKey, createKeyInput } from "@/lib/keys/create-key";
import { listKeys } from "@/lib/keys/list-keys";

type Params = { projectId: string };

export const GET = withUser<Params>({}, async (_request, { db, user, params }) => {
  const keys = await listKeys(db, { projectId: params.projectId, ownerId: user.id });
  return json({ keys });
});

export const POST = withUser<Params>({}, async (request, { db, user, ip, params }) => {
  const input = await parseBody(request, createKeyInput);
  const { key, secret } = await createKey(db, { projectId: params.projectId, ownerId: user.id, actor: user, ip, input });
  return json({ key, secret }, { status: 201, headers: { "Cache-Control": "no-store" } });
});
