// GET /api/manage/v1/me — the calling user
import { withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";

export const GET = withUser({}, async (_request, { user }) => json({ user }));
