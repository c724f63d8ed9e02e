// PATCH /api/manage/v1/admin/projects/{projectId} — set the tier new keys of the project get (admin)
import { z } from "zod";
import { withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { setProjectDefaultTier } from "@/lib/admin/set-project-default-tier";

type Params = { projectId: string };
const body = z.strictObject({ defaultTier: z.string().trim().min(1).max(100) });

export const PATCH = withUser<Params>({ admin: true }, async (request, { db, user, ip, params }) => {
  const { defaultTier } = await parseBody(request, body);
  return json({ project: await setProjectDefaultTier(db, { projectId: params.projectId, defaultTier, actor: user, ip }) });
});
