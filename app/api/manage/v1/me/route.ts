// GET /api/manage/v1/me — the calling user
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";

export const GET = withUser({}, async (_request, { user }) => json({ user }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
