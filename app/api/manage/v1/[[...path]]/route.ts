// GET, POST, PUT, PATCH, DELETE, OPTIONS /api/manage/v1/* — any other management path: 404 not_found as problem+json, after
// authentication (the framework's default would be an HTML page; strangers learn nothing about which paths exist)
import { ApiError } from "@/lib/http/errors";
import { withUser } from "@/lib/manage/with-user";

export const dynamic = "force-dynamic";

const notFound = withUser<{ path?: string[] }>({}, async () => {
  throw new ApiError("not_found", "There is no such management endpoint.");
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as OPTIONS };
