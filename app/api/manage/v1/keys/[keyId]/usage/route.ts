// GET /api/manage/v1/keys/{keyId}/usage?from=&to=&granularity=minute|hour|day — the key's usage series (owner only)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { queryUsage, usageQuerySchema } from "@/lib/usage/query-usage";

type Params = { keyId: string };

export const dynamic = "force-dynamic";

export const GET = withUser<Params>({}, async (request, ctx) => {
  const { db, params } = ctx;
  const query = parseQuery(request, usageQuerySchema);
  return json(await queryUsage(db, { keyId: params.keyId, member: ctx }, query));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
