// DELETE /api/manage/v1/tokens/{tokenId} — delete a management token
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { noContent } from "@/lib/http/respond";
import { deleteToken } from "@/lib/tokens/delete-token";

export const DELETE = withUser<{ tokenId: string }>({}, async (_request, { db, user, ip, params }) => {
  await deleteToken(db, { user, tokenId: params.tokenId, ip });
  return noContent();
});

export const { GET, POST, PUT, PATCH, OPTIONS } = manageOtherMethods(["DELETE"]);
