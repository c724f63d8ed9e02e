// GET /api/manage/v1/admin/users?q=&limit=&cursor= — search users by email or name (admin)
import { z } from "zod";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { pageQuery } from "@/lib/admin/page-cursor";
import { searchUsers } from "@/lib/admin/search-users";

const query = z.strictObject({ q: z.string().trim().max(320).optional(), ...pageQuery });

export const GET = withUser({ admin: true }, async (request, { db }) => {
  return json(await searchUsers(db, parseQuery(request, query)));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
