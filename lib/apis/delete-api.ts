// Removes a registered API with its routes and forward secrets (the gateway answers 404 route_not_found from then on).
// Keys keep the API's scopes as inert strings; usage rows keep the route labels they were counted under.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { apis } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { ApiError } from "../http/errors";
import { publishInvalidation } from "../keys/invalidation";

export async function deleteApi(db: Db, options: { apiId: string; actor: { id: string; email: string }; ip?: string | null }): Promise<void> {
  await db.transaction(async (tx) => {
    const [gone] = await tx.delete(apis).where(eq(apis.id, options.apiId)).returning({ id: apis.id, slug: apis.slug });
    if (!gone) throw new ApiError("not_found", "No such API.");
    await recordEvent(tx, { actor: options.actor, action: "api.delete", target: { type: "api", id: gone.id }, ip: options.ip, metadata: { slug: gone.slug } });
  });
  await publishInvalidation(db, { type: "api" });
}
