// PATCH /api/manage/v1/admin/projects/{projectId} — set the project's pool tier and/or the tier its new keys get (admin)
import { z } from "zod";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { setProjectDefaultTier } from "@/lib/admin/set-project-default-tier";
import { setProjectTier } from "@/lib/admin/set-project-tier";
import { getAdminProject } from "@/lib/admin/search-projects";

type Params = { projectId: string };
const tierRef = z.string().trim().min(1).max(100);
const body = z
  .strictObject({ tier: tierRef.optional(), defaultTier: tierRef.optional() })
  .refine((b) => b.tier !== undefined || b.defaultTier !== undefined, { message: "send tier and/or defaultTier" });

export const PATCH = withUser<Params>({ admin: true }, async (request, { db, user, ip, params }) => {
  const { tier, defaultTier } = await parseBody(request, body);
  const who = { projectId: params.projectId, actor: user, ip };
  if (tier !== undefined) await setProjectTier(db, { ...who, tier });
  if (defaultTier !== undefined) await setProjectDefaultTier(db, { ...who, defaultTier });
  return json({ project: (await getAdminProject(db, params.projectId))! });
});

export const { GET, POST, PUT, DELETE, OPTIONS } = manageOtherMethods(["PATCH"]);
