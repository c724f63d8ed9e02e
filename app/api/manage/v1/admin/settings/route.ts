// GET /api/manage/v1/admin/settings — admin settings; PATCH { zombieDays } — change them (admin)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { getSettings } from "@/lib/admin/get-settings";
import { settingsPatch, updateSettings } from "@/lib/admin/update-settings";

export const GET = withUser({ admin: true }, async (_request, { db }) => {
  return json({ settings: await getSettings(db) });
});

export const PATCH = withUser({ admin: true }, async (request, { db, user, ip }) => {
  const patch = await parseBody(request, settingsPatch);
  return json({ settings: await updateSettings(db, { patch, actor: user, ip }) });
});

export const { POST, PUT, DELETE, OPTIONS } = manageOtherMethods(["GET", "PATCH"]);
