// POST /api/manage/v1/me/notifications/read — mark { ids? } (default: all) of my notifications read
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseOptionalBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { markNotificationsRead, markReadInput } from "@/lib/notifications/mark-notifications-read";

export const POST = withUser({}, async (request, ctx) => {
  const { ids } = await parseOptionalBody(request, markReadInput, 16 * 1024);
  return json({ marked: await markNotificationsRead(ctx.db, { userId: ctx.user.id, ids }) });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
