// GET /api/manage/v1/admin/keys?q=&status=&tier=&limit=&cursor= — every key in every project (admin)
import { withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { adminKeysQuery, searchKeys } from "@/lib/admin/search-keys";
import { otherMethods } from "@/lib/http/method-not-allowed";

export const GET = withUser({ admin: true }, async (request, { db }) => {
  return json(await searchKeys(db, parseQuery(request, adminKeysQuery)));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
