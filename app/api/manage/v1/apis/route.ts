// GET /api/manage/v1/apis — every API a key can be scoped to: scopes, routes, tiers and cost (no upstream, no secret)
import { listApis } from "@/lib/apis/list-apis";
import { json } from "@/lib/http/respond";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";

export const GET = withUser({}, async (_request, { db }) => json({ apis: await listApis(db) }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
