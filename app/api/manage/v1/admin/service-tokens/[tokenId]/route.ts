// DELETE /api/manage/v1/admin/service-tokens/{tokenId} — delete a service token; every instance refuses it at once (admin)
import { noContent } from "@/lib/http/respond";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { deleteServiceToken } from "@/lib/verify/service-tokens";

export const DELETE = withUser<{ tokenId: string }>({ admin: true }, async (_request, { db, user, ip, params }) => {
  await deleteServiceToken(db, { tokenId: params.tokenId, actor: user, ip });
  return noContent();
});

export const { GET, POST, PUT, PATCH, OPTIONS } = manageOtherMethods(["DELETE"]);
