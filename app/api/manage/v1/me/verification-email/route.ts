// POST /api/manage/v1/me/verification-email — mail a new verification link (rate-limited)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { resendVerificationEmail } from "@/lib/users/send-verification-email";

export const POST = withUser({}, async (_request, { db, user }) => {
  await resendVerificationEmail(db, { user });
  return json({ status: "sent" }, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
