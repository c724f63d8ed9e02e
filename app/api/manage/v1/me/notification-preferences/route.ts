// GET /api/manage/v1/me/notification-preferences — which notification emails I get; PUT — switch kinds on or off
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { getNotificationPreferences, setNotificationPreferences, setPreferencesInput } from "@/lib/notifications/notification-preferences";

export const GET = withUser({}, async (_request, ctx) => {
  return json({ preferences: await getNotificationPreferences(ctx.db, { userId: ctx.user.id }) });
});

export const PUT = withUser({}, async (request, ctx) => {
  const input = await parseBody(request, setPreferencesInput, 16 * 1024);
  return json({ preferences: await setNotificationPreferences(ctx.db, { userId: ctx.user.id, input }) });
});

export const { POST, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET", "PUT"]);
