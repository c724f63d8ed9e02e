// GET /api/manage/v1/me/identities — the account's linked providers and whether it has a usable password
import { env } from "@/lib/env";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { listIdentities } from "@/lib/users/list-identities";

export const GET = withUser({}, async (_request, { db, user }) => json(await listIdentities(db, { userId: user.id, env: env() })));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
