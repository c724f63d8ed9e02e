// POST /api/manage/v1/console/requests — the docs' try-it console: run one operation of an API with a console key of
// one of the caller's projects (developer role or higher), through the API's real door; answers its status, headers
// and body (cut at 256 KiB). The console key's secret never leaves the server.
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { TRY_BODY_MAX_BYTES, tryOperation, tryRequestInput } from "@/lib/console/try-operation";

export const POST = withUser({ verified: true, maxBodyBytes: TRY_BODY_MAX_BYTES, strictUtf8: true }, async (request, ctx) => {
  const input = await parseBody(request, tryRequestInput, TRY_BODY_MAX_BYTES);
  const result = await tryOperation(ctx.db, { member: ctx, actor: ctx.user, input, ip: ctx.ip });
  return json(result, { headers: { "Cache-Control": "no-store" } });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
