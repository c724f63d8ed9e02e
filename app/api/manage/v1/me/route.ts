// GET /api/manage/v1/me — the calling user
import { withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { otherMethods } from "@/lib/http/method-not-allowed";

export const GET = withUser({}, async (_request, { user }) => json({ user }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
