// GET /api/manage/v1/admin/keys?q=&status=&tier=&limit=&cursor= — every key in every project (admin)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { adminKeysQuery, searchKeys } from "@/lib/admin/search-keys";

export const GET = withUser({ admin: true }, async (request, { db }) => {
  return json(await searchKeys(db, parseQuery(request, adminKeysQuery)));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
