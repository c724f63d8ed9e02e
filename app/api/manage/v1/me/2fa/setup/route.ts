// POST /api/manage/v1/me/2fa/setup — a new TOTP secret and its otpauth:// URL (active only after enable)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { setupTwoFactor } from "@/lib/auth/manage-two-factor";

export const POST = withUser({ verified: true }, async (_request, { db, user }) => json(await setupTwoFactor(db, { userId: user.id })));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
