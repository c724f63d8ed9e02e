// GET /api/manage/v1/me/notifications — my in-portal notifications, newest first, and how many are unread
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { listNotifications } from "@/lib/notifications/list-notifications";

export const GET = withUser({}, async (_request, ctx) => {
  return json(await listNotifications(ctx.db, { userId: ctx.user.id }));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
